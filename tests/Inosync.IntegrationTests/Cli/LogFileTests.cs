using Inosync.IntegrationTests.Support;

namespace Inosync.IntegrationTests.Cli;

/// <summary>What a sysadmin reads: the start line, one Info line per batch, every event at Debug.</summary>
public sealed class LogFileTests
{
    [Fact]
    public async Task Start_line_names_version_config_watches_and_time_and_each_batch_logs_node_paths_duration_and_exit_code()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            Arguments = ["--verbose"],
            Prepare = scenario => Directory.CreateDirectory(scenario.Src("a/b")),
        });

        string start = await s.Daemon.WaitForLogAsync(" started with ");
        start.Should().MatchRegex(@"INF inosync \d+\.\d+\.\d+ started with .*sync\.toml: 3 directories watched in \d+ ms");

        File.WriteAllText(s.Src("a/b/new.txt"), "1");
        await s.ConvergedAsync();
        string batch = await s.Daemon.WaitForLogAsync("Synced ");
        batch.Should().MatchRegex($@"INF Synced \d+ paths to {System.Text.RegularExpressions.Regex.Escape(s.Targets[0])} in \d+ ms \(exit 0\)");
        (await s.Daemon.WaitForLogAsync("new.txt")).Should().Contain("DBG Change", "each event is logged at Debug");
    }
}
