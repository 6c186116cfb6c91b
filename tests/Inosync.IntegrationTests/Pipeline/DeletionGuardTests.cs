using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>
/// A restart on a wpath that is now empty (what an unmounted file system looks like) must not wipe the nodes: the
/// real daemon, stopped, its tree emptied, started again.
/// </summary>
public sealed class DeletionGuardTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_restart_on_an_emptied_wpath_deletes_nothing_on_the_nodes()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Prepare = scenario =>
            {
                for (int i = 0; i < 21; i++)
                {
                    File.WriteAllText(scenario.Src($"f{i:D2}"), "data");
                }
            },
        });
        await s.ConvergedAsync(s_timeout);
        await s.Daemon.SignalAsync("TERM");
        (await s.Daemon.WaitForExitAsync(s_timeout)).Should().Be(0);

        // The mount point left behind by an unmount: the directory, empty.
        foreach (string file in Directory.GetFiles(s.Source))
        {
            File.Delete(file);
        }

        await s.RestartDaemonAsync();
        await s.Daemon.WaitForLogAsync("is empty (is its file system mounted?)", s_timeout);

        foreach (string target in s.Targets)
        {
            Directory.GetFiles(target).Should().HaveCount(21, s.Describe($"{target} was emptied", []));
        }
    }
}
