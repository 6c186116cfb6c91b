using Inosync.Status;

namespace Inosync.Tests.Status;

public sealed class StatusHealthTests
{
    [Fact]
    public void Running_daemon_with_every_node_idle_is_healthy()
    {
        var verdict = StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, StatusSamples.Healthy("a"), StatusSamples.Healthy("b")), daemonRunning: true);

        verdict.Should().Be(new StatusVerdict(ExitCode.Ok, "OK: 2 nodes healthy"));
    }

    [Fact]
    public void Starting_daemon_is_healthy_and_says_so()
    {
        var verdict = StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Starting), daemonRunning: true);

        verdict.Should().Be(new StatusVerdict(ExitCode.Ok, "OK: 1 node healthy (starting)"));
    }

    [Fact]
    public void Retrying_node_is_failing_with_its_name_and_last_error()
    {
        var verdict = StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, StatusSamples.Healthy(), StatusSamples.Retrying()), daemonRunning: true);

        verdict.ExitCode.Should().Be(ExitCode.Failing);
        verdict.Summary.Should().Be(
            "FAILING: 1 of 2 nodes: deploy@web2:/var/www (18 failures in a row, last exit 255: ssh: connect to host web2 port 22: Connection refused)");
    }

    [Fact]
    public void Node_retrying_right_now_is_still_failing_until_an_attempt_succeeds()
    {
        var syncing = StatusSamples.Retrying() with { State = NodeStatusEntry.Syncing, NextAttempt = null };

        StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, syncing), daemonRunning: true).ExitCode.Should().Be(ExitCode.Failing);
    }

    [Fact]
    public void Node_that_failed_once_and_recovered_is_healthy()
    {
        var recovered = StatusSamples.Retrying() with { State = NodeStatusEntry.Idle, NextAttempt = null, ConsecutiveFailures = 0 };

        StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, recovered), daemonRunning: true).ExitCode.Should().Be(ExitCode.Ok);
    }

    [Fact]
    public void Node_whose_batch_runs_longer_than_slow_batch_is_failing_until_it_ends()
    {
        var slow = StatusSamples.Healthy() with { State = NodeStatusEntry.Syncing, BatchStarted = StatusSamples.Now.AddHours(-2), Slow = true };

        var verdict = StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, StatusSamples.Healthy("a"), slow), daemonRunning: true);

        verdict.Should().Be(new StatusVerdict(ExitCode.Failing, "FAILING: 1 of 2 nodes: /backup/www (a batch running since 2025-06-01 10:00:00 +00:00, longer than slow_batch)"));
        StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, slow with { Slow = false }), daemonRunning: true).ExitCode.Should().Be(ExitCode.Ok);
    }

    [Fact]
    public void Node_with_a_warning_is_healthy_and_the_verdict_carries_the_warning()
    {
        var warned = StatusSamples.Healthy() with { Warning = "1 paths longer than 4096 bytes cannot be synced (first: a/b)" };

        var verdict = StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, StatusSamples.Healthy("a"), warned), daemonRunning: true);

        verdict.Should().Be(new StatusVerdict(ExitCode.Ok, "OK: 2 nodes healthy; warning: /backup/www: 1 paths longer than 4096 bytes cannot be synced (first: a/b)"));
    }

    [Fact]
    public void Stopped_daemon_is_not_running()
    {
        var verdict = StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Stopped), daemonRunning: false);

        verdict.ExitCode.Should().Be(ExitCode.Unavailable);
        verdict.Summary.Should().Be("NOT RUNNING: inosync (pid 4242) stopped at 2025-06-01 11:59:56 +00:00");
    }

    [Fact]
    public void Daemon_whose_pid_is_gone_is_not_running_even_if_the_file_says_running()
    {
        var verdict = StatusHealth.Evaluate(StatusSamples.Document(DaemonStates.Running, StatusSamples.Retrying()), daemonRunning: false);

        verdict.ExitCode.Should().Be(ExitCode.Unavailable);
        verdict.Summary.Should().StartWith("NOT RUNNING: inosync (pid 4242) is gone without stopping cleanly");
    }
}
