using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>SIGHUP while starting, changes made during a slow stop, and the second SIGTERM: the real executable, real signals.</summary>
public sealed class StopSignalTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_sighup_while_the_daemon_is_still_starting_does_not_kill_it()
    {
        using var dir = new TempTree("inosync-early-hup-");
        string source = dir.CreateDirectory("src");
        string node = dir.CreateDirectory("node");
        File.WriteAllText(Path.Combine(source, "f.txt"), "f");

        // An rsync whose '--version' (asked before the daemon sets anything up) takes two seconds and says when it began.
        string probing = dir.PathOf("probing");
        string rsync = dir.WriteFile(
            "slow-version-rsync.sh",
            $"#!/bin/sh\nif [ \"$1\" = --version ]; then touch '{probing}'; sleep 2; fi\nexec {RsyncWrapper.RealRsync} \"$@\"\n");
        File.SetUnixFileMode(rsync, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string config = dir.WriteFile("sync.toml", $"wpath = '{source}'\nrpath = '{node}'\nrnodes = ['']\nrsync = '{rsync}'\n");

        await using var daemon = InosyncProcess.Start(["-c", config]);
        (await Eventually.TrueWithinAsync(() => File.Exists(probing), s_timeout)).Should().BeTrue(daemon.LogText);
        await daemon.SignalAsync("HUP");

        await daemon.WaitForLogAsync("ready");
        daemon.HasExited.Should().BeFalse("SIGHUP during start-up must not end the daemon");
        File.ReadAllText(Path.Combine(node, "f.txt")).Should().Be("f");
        await daemon.SignalAsync("TERM");
        (await daemon.WaitForExitAsync(s_timeout)).Should().Be(0, daemon.LogText);
    }

    [Fact]
    public async Task A_file_written_while_the_stop_waits_for_a_running_rsync_is_synced_before_exit()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Rsync = dir => RsyncWrapper.Create(dir, sleepSeconds: "3"),
        });

        int runs = s.Rsync!.Runs;
        File.WriteAllText(s.Src("before-stop.txt"), "1");
        (await Eventually.TrueWithinAsync(() => s.Rsync.Runs > runs, s_timeout)).Should().BeTrue(s.Daemon.LogText);
        await s.Daemon.SignalAsync("TERM");
        await s.Daemon.WaitForLogAsync("Stopping");
        File.WriteAllText(s.Src("during-stop.txt"), "2");

        (await s.Daemon.WaitForExitAsync(s_timeout)).Should().Be(0, s.Daemon.LogText);
        s.AllDifferences().Should().BeEmpty(s.Describe("a change made while the stop waited was lost", s.AllDifferences()));
    }

    [Fact]
    public async Task A_second_sigterm_ends_a_slow_stop_at_once_and_the_exit_code_and_log_say_what_was_left_unsynced()
    {
        string statusFile = "";
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            Prepare = p =>
            {
                statusFile = p.Scratch("status.json");
                File.WriteAllText(p.Src("f.txt"), "1");
            },
            GlobalConfig = "status_file = 'status.json'",
            // Every rsync takes ten minutes: the initial full sync is still running at SIGTERM.
            Rsync = dir => RsyncWrapper.Create(dir, sleepSeconds: "600"),
            ReadyText = "started",
        });

        (await Eventually.TrueWithinAsync(() => s.Rsync!.Runs > 0, s_timeout)).Should().BeTrue(s.Daemon.LogText);
        await s.Daemon.SignalAsync("TERM");
        await s.Daemon.WaitForLogAsync("Stopping");
        await Task.Delay(500);
        s.Daemon.HasExited.Should().BeFalse("the first SIGTERM lets the running rsync finish");

        var secondSignal = DateTime.UtcNow;
        await s.Daemon.SignalAsync("TERM");
        int exitCode = await s.Daemon.WaitForExitAsync(s_timeout);
        var stopTook = DateTime.UtcNow - secondSignal;

        exitCode.Should().Be(75, s.Daemon.LogText);
        stopTook.Should().BeLessThan(TimeSpan.FromSeconds(20), "the second signal terminates the running rsync (SIGKILL 5 s after SIGTERM at worst)");
        s.Daemon.LogText.Should().Contain("Second stop signal")
            .And.Contain("1 pending changes were not synced before stop")
            .And.Contain("inosync stopped with changes left unsynced");
        File.Exists(Path.Combine(s.Targets[0], "f.txt")).Should().BeFalse();
        (await File.ReadAllTextAsync(statusFile)).Should().Contain("\"pending\": 1");
    }
}
