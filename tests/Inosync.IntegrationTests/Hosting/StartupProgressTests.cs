using System.Text.Json;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Hosting;

/// <summary>A slow start is not a silent one: the log says how far the initial sync has got, the status file its phase.</summary>
public sealed class StartupProgressTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_long_initial_sync_is_reported_every_few_seconds_and_the_status_says_initial_sync()
    {
        string? statusFile = null;
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            Prepare = scenario =>
            {
                statusFile = scenario.Scratch("status.json");
                File.WriteAllText(scenario.Src("f"), "x");
            },
            GlobalConfig = "status_file = \"status.json\"",
            Rsync = dir => RsyncWrapper.Create(dir, sleepSeconds: "7"),
            ReadyText = "directories watched",
        });

        string line = await s.Daemon.WaitForLogAsync("Starting: initial sync done on 0 of 1 nodes; ", s_timeout);
        line.Should().MatchRegex(@"Starting: initial sync done on 0 of 1 nodes; \S+: syncing for [3-9] s");
        using (JsonDocument status = JsonDocument.Parse(File.ReadAllBytes(statusFile!)))
        {
            status.RootElement.GetProperty("state").GetString().Should().Be("initial-sync");
        }

        await s.Daemon.WaitForLogAsync("inosync ready", s_timeout);
        bool running = await Eventually.TrueWithinAsync(() => File.ReadAllText(statusFile!).Contains("\"state\": \"running\"", StringComparison.Ordinal), s_timeout);
        running.Should().BeTrue(File.ReadAllText(statusFile!));
    }
}
