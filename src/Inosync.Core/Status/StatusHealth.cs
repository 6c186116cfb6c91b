using System.Globalization;
using Inosync.Processes;

namespace Inosync.Status;

/// <summary>
/// Decides whether a status file describes a healthy daemon. The file alone cannot say "the daemon died" (an idle
/// daemon never rewrites it), so the caller says whether the pid it names is still a running inosync.
/// </summary>
public static class StatusHealth
{
    /// <param name="document">The status file.</param>
    /// <param name="daemonRunning">Whether <see cref="StatusDocument.Pid"/> is a live inosync process.</param>
    public static StatusVerdict Evaluate(StatusDocument document, bool daemonRunning)
    {
        ArgumentNullException.ThrowIfNull(document);
        string updated = document.Updated.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
        if (document.State == DaemonStates.Stopped)
        {
            return new StatusVerdict(ExitCode.Unavailable, Invariant($"NOT RUNNING: inosync (pid {document.Pid}) stopped at {updated}"));
        }

        if (!daemonRunning)
        {
            return new StatusVerdict(
                ExitCode.Unavailable,
                Invariant($"NOT RUNNING: inosync (pid {document.Pid}) is gone without stopping cleanly (killed or crashed?); the status file is from {updated}"));
        }

        var nodes = document.Syncs.SelectMany(s => s.Nodes).ToList();
        var failing = nodes.Where(n => n.IsFailing).ToList();
        if (failing.Count == 0)
        {
            string what = document.State == DaemonStates.Running ? "" : $" ({document.State})";
            string warnings = string.Concat(nodes.Where(n => n.Warning is not null).Select(n => Invariant($"; warning: {n.Node}: {n.Warning}")));
            return new StatusVerdict(ExitCode.Ok, Invariant($"OK: {Count(nodes.Count, "node")} healthy{what}{warnings}"));
        }

        string details = string.Join("; ", failing.Select(Describe));
        return new StatusVerdict(ExitCode.Failing, Invariant($"FAILING: {failing.Count} of {Count(nodes.Count, "node")}: {details}"));
    }

    private static string Describe(NodeStatusEntry node)
    {
        if (node.Slow && node.ConsecutiveFailures == 0)
        {
            string since = node.BatchStarted is { } started ? Invariant($" since {started:yyyy-MM-dd HH:mm:ss zzz}") : "";
            return Invariant($"{node.Node} (a batch running{since}, longer than slow_batch)");
        }

        string error = node.LastError is { } e ? Invariant($", last exit {ExitText(e.ExitCode)}: {e.Message}") : "";
        return Invariant($"{node.Node} ({Count(node.ConsecutiveFailures, "failure")} in a row{error})");
    }

    /// <summary>"23" or "-1 (not started)": rsync's code as the table and summary show it.</summary>
    internal static string ExitText(int exitCode) =>
        exitCode == ProcessResult.NotStartedExitCode ? "-1 (rsync could not start)" : exitCode.ToString(CultureInfo.InvariantCulture);

    private static string Count(int count, string one) => Invariant($"{count} {one}{(count == 1 ? "" : "s")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
