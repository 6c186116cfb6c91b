using System.Globalization;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Xunit.Abstractions;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>Batching, failing nodes, dry runs, signals and startup: the daemon as a whole.</summary>
public sealed class DaemonBehaviourTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_burst_of_10000_files_converges_with_far_fewer_rsync_runs_than_files()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions { Rsync = dir => RsyncWrapper.Create(dir) });
        int runsBefore = s.Rsync!.Runs;
        var started = DateTime.UtcNow;

        for (int d = 0; d < 100; d++)
        {
            string dir = s.Src($"burst/d{d:D3}");
            Directory.CreateDirectory(dir);
            for (int f = 0; f < 100; f++)
            {
                File.WriteAllText(Path.Combine(dir, $"f{f:D3}"), $"{d}/{f}");
            }
        }

        var written = DateTime.UtcNow;
        await s.ConvergedAsync(TimeSpan.FromSeconds(120));
        var converged = DateTime.UtcNow;
        await s.ConvergedAndQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120));
        int runs = s.Rsync.Runs - runsBefore;
        output.WriteLine(
            $"10,000 files in 100 directories: {runs} rsync runs over {s.Targets.Count} nodes; writing took {(written - started).TotalSeconds:0.0} s, " +
            $"both nodes equal {(converged - written).TotalSeconds:0.0} s after the last write");

        // One rsync per batch per node, never one per event: a few dozen batches at most.
        runs.Should().BeLessThan(200, "10,000 files must be batched, not synced one by one");
    }

    [Fact]
    public async Task A_failing_node_retries_until_repaired_while_the_other_node_stays_current()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Rsync = dir => RsyncWrapper.Create(dir),
        });
        string broken = s.Targets[1];
        File.SetUnixFileMode(broken, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        bool root = Environment.UserName == "root";
        if (root)
        {
            // root ignores permission bits: make the node unreachable another way — replace it with a file.
            File.SetUnixFileMode(broken, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Move(broken, broken + ".away");
            File.WriteAllText(broken, "not a directory");
        }

        File.WriteAllText(s.Src("while-broken.txt"), "1");
        Directory.CreateDirectory(s.Src("dir-while-broken"));
        File.WriteAllText(s.Src("dir-while-broken/f"), "2");

        // The healthy node stays current while the broken one fails and retries.
        bool healthy = await Eventually.TrueWithinAsync(() => TreeComparer.Differences(s.Source, s.Targets[0]).Count == 0, TimeSpan.FromSeconds(30));
        healthy.Should().BeTrue(s.Describe("the healthy node fell behind", TreeComparer.Differences(s.Source, s.Targets[0])));
        await s.Daemon.WaitForLogAsync("retry");

        if (root)
        {
            File.Delete(broken);
            Directory.Move(broken + ".away", broken);
        }
        else
        {
            File.SetUnixFileMode(broken, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await s.ConvergedAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Pretend_runs_no_rsync_and_logs_the_commands()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Arguments = ["--pretend"],
            Rsync = dir => RsyncWrapper.Create(dir),
            Prepare = p => File.WriteAllText(p.Src("initial.txt"), "i"),
        });

        File.WriteAllText(s.Src("would sync.txt"), "x");
        await s.Daemon.WaitForLogAsync("would sync.txt");

        s.Rsync!.Runs.Should().Be(0, "--pretend must not run rsync");
        s.Daemon.LogText.Should().Contain("--delete").And.Contain(s.Source + "/");
        foreach (string target in s.Targets)
        {
            Directory.EnumerateFileSystemEntries(target).Should().BeEmpty("nothing may be synced in a dry run");
        }
    }

    [Fact]
    public async Task Sigterm_with_pending_changes_syncs_them_before_a_clean_exit()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            // A slow rsync: the first batch is still running when the next changes arrive and SIGTERM comes.
            Rsync = dir => RsyncWrapper.Create(dir, sleepSeconds: "1"),
        });

        File.WriteAllText(s.Src("first.txt"), "1");
        await Eventually.TrueWithinAsync(() => s.Rsync!.Runs > 2, TimeSpan.FromSeconds(10));
        for (int i = 0; i < 20; i++)
        {
            File.WriteAllText(s.Src($"pending{i}.txt"), i.ToString(CultureInfo.InvariantCulture));
        }

        await s.Daemon.SignalAsync("TERM");
        int exitCode = await s.Daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().Be(0, s.Daemon.LogText);
        s.AllDifferences().Should().BeEmpty(s.Describe("pending changes were not synced before exit", s.AllDifferences()));
    }

    [Fact]
    public async Task Initial_sync_brings_a_stale_target_up_to_date()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Prepare = p =>
            {
                File.WriteAllText(p.Src("new.txt"), "new");
                Directory.CreateDirectory(p.Src("dir/sub"));
                File.WriteAllText(p.Src("dir/sub/f"), "f");
                foreach (string target in p.Targets)
                {
                    File.WriteAllText(Path.Combine(target, "stale-extra.txt"), "should be deleted");
                    File.WriteAllText(Path.Combine(target, "new.txt"), "old content");
                }
            },
        });

        s.AllDifferences().Should().BeEmpty(s.Describe("the initial sync left differences", s.AllDifferences()));
    }
}
