using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>The filter rules with the real daemon: what they include reaches the nodes, and a restart applies new rules.</summary>
public sealed class FilterRulesTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Changed_rules_take_effect_at_the_next_start_and_what_they_now_exclude_stays_protected()
    {
        string[] first = ["+ */", "+ *.txt", "- *"];
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            ExtraConfig = Filter(first),
            RsyncFilterOracle = first,
            Prepare = scenario =>
            {
                File.WriteAllText(scenario.Src("a.txt"), "a");
                File.WriteAllText(scenario.Src("a.md"), "a");
                Directory.CreateDirectory(scenario.Src("d"));
                File.WriteAllText(scenario.Src("d/b.txt"), "b");
                File.WriteAllText(scenario.Src("d/c.md"), "c");
            },
        });
        await s.ConvergedAsync(s_timeout);
        string node = s.LocalTargets[0];
        File.Exists(Path.Combine(node, "a.md")).Should().BeFalse();

        await s.Daemon.SignalAsync("TERM");
        (await s.Daemon.WaitForExitAsync(s_timeout)).Should().Be(0);
        File.WriteAllText(s.ConfigPath, File.ReadAllText(s.ConfigPath).Replace(Filter(first), Filter(["+ */", "+ *.md", "- *"]), StringComparison.Ordinal));
        await s.RestartDaemonAsync();
        await s.Daemon.WaitForLogAsync("ready", s_timeout);

        foreach (string target in s.LocalTargets)
        {
            File.ReadAllText(Path.Combine(target, "a.md")).Should().Be("a", "the first full sync applies the new rules");
            File.ReadAllText(Path.Combine(target, "d/c.md")).Should().Be("c");
            File.ReadAllText(Path.Combine(target, "d/b.txt")).Should().Be("b", "what the new rules exclude is protected from --delete");
        }
    }

    [Fact]
    public async Task A_rule_that_can_never_match_is_logged_at_start_and_the_rest_still_apply()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            ExtraConfig = Filter(["- [x", "- *.tmp"]),
            RsyncFilterOracle = ["- *.tmp"],
            Prepare = scenario =>
            {
                File.WriteAllText(scenario.Src("[x"), "a name the broken pattern does not exclude");
                File.WriteAllText(scenario.Src("y.tmp"), "excluded");
            },
        });

        string line = await s.Daemon.WaitForLogAsync("can never match", s_timeout);
        line.Should().Contain("WRN").And.Contain("\"[x\"").And.Contain("no closing ']'");
        await s.ConvergedAsync(s_timeout);
        File.Exists(Path.Combine(s.LocalTargets[0], "[x")).Should().BeTrue();
    }

    private static string Filter(string[] rules) => "filter = [" + string.Join(", ", rules.Select(r => "'" + r + "'")) + "]";
}
