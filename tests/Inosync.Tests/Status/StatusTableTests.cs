using Inosync.Nodes;
using Inosync.Processes;
using Inosync.Status;

namespace Inosync.Tests.Status;

public sealed class StatusTableTests
{
    [Fact]
    public void Table_shows_the_daemon_then_one_row_per_node_with_its_last_error_below()
    {
        var document = StatusSamples.Document(DaemonStates.Running, StatusSamples.Healthy(), StatusSamples.Retrying());

        string table = StatusTable.Format(document, StatusSamples.Now, TimeZoneInfo.Utc);

        table.Should().Be("""
            inosync 0.1.0, pid 4242, running; started 2025-06-01 09:55:00 +00:00 (2h 05m ago)
            config /etc/inosync/sync.toml; status written 2025-06-01 11:59:56 +00:00 (4s ago)

            sync www: /srv/www, 1234 directories watched, 0 changes queued
              NODE                  STATE            PENDING  LAST SUCCESS  BATCHES  RSYNC RUNS  FAILURES  DROPPED  PATHS SYNCED
              /backup/www           idle                   0  5s ago             12          12         0        0           345
              deploy@web2:/var/www  retrying in 23s        4  2h 03m ago         30          30        18        0           100
                last error 7s ago: exit 255: ssh: connect to host web2 port 22: Connection refused

            """);
    }

    [Fact]
    public void A_slow_batch_and_a_warning_each_get_a_line_under_their_node()
    {
        var slow = StatusSamples.Healthy("/slow") with { State = NodeStatusEntry.Syncing, BatchStarted = StatusSamples.Now.AddMinutes(-90), Slow = true };
        var warned = StatusSamples.Healthy("/warned") with { Warning = "1 paths longer than 4096 bytes cannot be synced (first: a/b)" };

        string table = StatusTable.Format(StatusSamples.Document(DaemonStates.Running, slow, warned), StatusSamples.Now, TimeZoneInfo.Utc);

        string[] lines = table.Split('\n');
        int slowRow = Array.FindIndex(lines, l => l.StartsWith("  /slow", StringComparison.Ordinal));
        lines[slowRow + 1].Should().Be("    slow: the running batch started 1h 30m ago, longer than slow_batch");
        int warnedRow = Array.FindIndex(lines, l => l.StartsWith("  /warned", StringComparison.Ordinal));
        lines[warnedRow + 1].Should().Be("    warning: 1 paths longer than 4096 bytes cannot be synced (first: a/b)");
    }

    [Fact]
    public void Node_that_never_succeeded_and_could_not_start_rsync_says_so()
    {
        var node = StatusSamples.Retrying() with
        {
            LastSuccess = null,
            NextAttempt = StatusSamples.Now.AddSeconds(-1),
            LastError = new NodeError(StatusSamples.Now, ProcessResult.NotStartedExitCode, "No such file or directory"),
        };

        string table = StatusTable.Format(StatusSamples.Document(DaemonStates.Running, node), StatusSamples.Now, TimeZoneInfo.Utc);

        table.Should().Contain("retrying now").And.Contain("never")
            .And.Contain("last error 0s ago: exit -1 (rsync could not start): No such file or directory");
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.9, "59s")]
    [InlineData(60, "1m 00s")]
    [InlineData(3599, "59m 59s")]
    [InlineData(3600 + 180, "1h 03m")]
    [InlineData(86400 * 3 + 3600 * 4, "3d 04h")]
    public void Durations_use_two_units_at_most(double seconds, string expected) =>
        StatusTable.Duration(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
}
