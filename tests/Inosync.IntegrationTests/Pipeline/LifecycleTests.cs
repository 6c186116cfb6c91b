using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>Pid file, log file and SIGHUP, periodic full sync: the daemon's life cycle through the real executable.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task The_pid_file_names_the_daemon_refuses_a_second_instance_and_is_removed_at_exit()
    {
        string pidFile = "";
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Prepare = p => pidFile = p.Scratch("inosync.pid"),
            GlobalConfig = "pid_file = 'inosync.pid'",
        });

        (await File.ReadAllTextAsync(pidFile)).Trim().Should().Be(s.Daemon.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var second = await InosyncProcess.RunAsync(["-c", s.ConfigPath], TimeSpan.FromSeconds(30));
        second.ExitCode.Should().Be(73, second.ToString());
        second.StdErr.Should().Contain(pidFile).And.Contain("already running");
        File.Exists(pidFile).Should().BeTrue("the second instance must not remove the first one's pid file");

        await s.Daemon.SignalAsync("TERM");
        (await s.Daemon.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0);
        File.Exists(pidFile).Should().BeFalse();
    }

    [Theory]
    [InlineData("pid_file = 'inosync.pid'\n", "already running with pid")]
    [InlineData("", "already running with this configuration")]
    public async Task Of_two_daemons_started_at_the_same_moment_on_one_configuration_exactly_one_runs(string pidFileLine, string refusal)
    {
        using var dir = new TempTree("inosync-twice-");
        string source = dir.CreateDirectory("src");
        string node = dir.CreateDirectory("node");
        string config = dir.WriteFile("sync.toml", $"{pidFileLine}wpath = '{source}'\nrpath = '{node}'\nrnodes = ['']\n");

        for (int round = 0; round < 10; round++)
        {
            await using var first = InosyncProcess.Start(["-c", config]);
            await using var second = InosyncProcess.Start(["-c", config]);
            Task<int> firstExit = first.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Task<int> secondExit = second.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Task<int> refused = await Task.WhenAny(firstExit, secondExit);
            (await refused).Should().Be(73, $"round {round}: one of the two must be refused");
            InosyncProcess runner = refused == firstExit ? second : first;
            InosyncProcess loser = refused == firstExit ? first : second;
            loser.LogText.Should().Contain(refusal);

            await runner.WaitForLogAsync("ready");
            runner.HasExited.Should().BeFalse($"round {round}: the other one runs");
            await runner.SignalAsync("TERM");
            (await runner.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0);
        }
    }

    [Fact]
    public async Task A_stale_pid_file_is_replaced()
    {
        string pidFile = "";
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Prepare = p =>
            {
                pidFile = p.Scratch("inosync.pid");
                File.WriteAllText(pidFile, "999999999\n");
            },
            GlobalConfig = "pid_file = 'inosync.pid'",
        });

        (await File.ReadAllTextAsync(pidFile)).Trim().Should().Be(s.Daemon.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_log_file_gets_the_log_and_sighup_reopens_it_after_logrotate_moved_it()
    {
        string logDir = "";
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Prepare = p => logDir = Directory.CreateDirectory(p.Scratch("logs")).FullName,
            GlobalConfig = "log_file = 'logs/inosync.log'",
        });
        // log_file is written at exactly its path; rotation is logrotate's job.
        string log = Path.Combine(logDir, "inosync.log");
        (await File.ReadAllTextAsync(log)).Should().Contain("inosync ready");

        string rotated = Path.Combine(logDir, "inosync.log.1");
        File.Move(log, rotated);
        await s.Daemon.SignalAsync("HUP");
        await s.Daemon.WaitForLogAsync("log file reopened");

        bool reopened = await Eventually.TrueWithinAsync(
            () => File.Exists(log) && File.ReadAllText(log).Contains("log file reopened", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        reopened.Should().BeTrue("SIGHUP must open a fresh log file at the configured path");
        (await File.ReadAllTextAsync(rotated)).Should().Contain("inosync ready").And.NotContain("log file reopened");
        Directory.EnumerateFiles(logDir).Should().HaveCount(2, "no dated files next to it");
        s.Daemon.HasExited.Should().BeFalse("SIGHUP must not stop the daemon");
    }

    [Fact]
    public async Task The_periodic_full_sync_repairs_drift_made_behind_its_back()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            ExtraConfig = "full_sync_interval = '2s'",
            Prepare = p => File.WriteAllText(p.Src("keep.txt"), "original"),
        });

        // Someone edits and deletes files on the nodes directly; inotify on the source sees nothing.
        File.WriteAllText(Path.Combine(s.Targets[0], "keep.txt"), "tampered");
        File.WriteAllText(Path.Combine(s.Targets[1], "intruder.txt"), "x");

        await s.ConvergedAsync(TimeSpan.FromSeconds(30));
        // The nodes can be repaired before the test has read the line that announced the sync from the daemon's pipe.
        (await s.Daemon.WaitForLogAsync("Periodic full sync", TimeSpan.FromSeconds(10))).Should().Contain("Periodic full sync");
    }
}
