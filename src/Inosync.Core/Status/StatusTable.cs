using System.Globalization;
using System.Text;

namespace Inosync.Status;

/// <summary>
/// Renders a status file as the table <c>inosync status</c> prints: a header for the daemon, then per sync one row
/// per node, with the node's last error under its row. Times are shown relative to now ("5s ago").
/// </summary>
public static class StatusTable
{
    private static readonly string[] s_headers = ["NODE", "STATE", "PENDING", "LAST SUCCESS", "BATCHES", "RSYNC RUNS", "FAILURES", "DROPPED", "PATHS SYNCED"];

    /// <param name="document">The status file.</param>
    /// <param name="now">The current time, for ages and "retrying in".</param>
    /// <param name="zone">The time zone absolute times are shown in (the machine's, normally).</param>
    public static string Format(StatusDocument document, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(zone);
        var text = new StringBuilder();
        Line(text, $"inosync {document.Version}, pid {document.Pid}, {document.State}; started {Absolute(document.Started, zone)} ({Age(document.Started, now)})");
        Line(text, $"config {document.Config}; status written {Absolute(document.Updated, zone)} ({Age(document.Updated, now)})");
        foreach (SyncStatusEntry sync in document.Syncs)
        {
            text.Append('\n');
            Line(text, $"sync {sync.Name}: {sync.Wpath}, {Count(sync.Watches, "directory", "directories")} watched, {Count(sync.QueueDepth, "change", "changes")} queued");
            var rows = new List<string[]> { s_headers };
            rows.AddRange(sync.Nodes.Select(n => Row(n, now)));
            int[] widths = [.. Enumerable.Range(0, s_headers.Length).Select(c => rows.Max(r => r[c].Length))];
            for (int r = 0; r < rows.Count; r++)
            {
                text.Append("  ");
                for (int c = 0; c < widths.Length; c++)
                {
                    // Text columns left-aligned, numbers right-aligned; no trailing blanks.
                    bool number = c is 2 or >= 4;
                    string cell = number ? rows[r][c].PadLeft(widths[c]) : rows[r][c].PadRight(widths[c]);
                    text.Append(c == widths.Length - 1 ? cell.TrimEnd() : cell + "  ");
                }

                text.Append('\n');
                if (r == 0)
                {
                    continue;
                }

                NodeStatusEntry node = sync.Nodes[r - 1];
                if (node.Slow && node.BatchStarted is { } started)
                {
                    Line(text, $"    slow: the running batch started {Age(started, now)}, longer than slow_batch");
                }

                if (node.LastError is { } error)
                {
                    Line(text, $"    last error {Age(error.At, now)}: exit {StatusHealth.ExitText(error.ExitCode)}: {error.Message}");
                }

                if (node.Warning is { } warning)
                {
                    Line(text, $"    warning: {warning}");
                }
            }
        }

        return text.ToString();
    }

    private static string[] Row(NodeStatusEntry node, DateTimeOffset now) =>
    [
        node.Node,
        node.State == NodeStatusEntry.Retrying && node.NextAttempt is { } next
            ? next > now ? $"retrying in {Duration(next - now)}" : "retrying now"
            : node.State,
        Number(node.Pending),
        node.LastSuccess is { } success ? Age(success, now) : "never",
        Number(node.Batches),
        Number(node.RsyncRuns),
        Number(node.Failures),
        Number(node.DroppedBatches),
        Number(node.PathsSynced),
    ];

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Count(int count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Absolute(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    private static string Age(DateTimeOffset time, DateTimeOffset now) =>
        time > now ? "just now" : $"{Duration(now - time)} ago";

    /// <summary>Two units at most: "45s", "4m 05s", "2h 03m", "3d 04h".</summary>
    internal static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 60 } => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)span.TotalSeconds)}s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s"),
        { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h {span.Minutes:00}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours:00}h"),
    };
}
