using System.Globalization;
using System.Text;
using Inosync.Nodes;

namespace Inosync.Status;

/// <summary>
/// The metrics file in Prometheus' text exposition format (version 0.0.4), as node_exporter's textfile collector
/// reads it: each family's HELP and TYPE once, then its samples, labelled with the sync's name and the node's target.
/// </summary>
public static class PrometheusText
{
    // One table: name, type, help, and how to read the value. Nodes first, then syncs.
    private static readonly (string Name, string Type, string Help, Func<NodeStatus, double?> Value)[] s_nodeFamilies =
    [
        ("inosync_node_healthy", "gauge", "1 when the node is healthy; 0 when its last rsync failed, it is retrying, or a batch runs longer than slow_batch.",
            n => NodeStatusEntry.From(n).IsFailing ? 0 : 1),
        ("inosync_node_pending_changes", "gauge", "Changes seen but not yet synced to the node.", n => n.Pending),
        ("inosync_node_last_success_timestamp_seconds", "gauge", "When an rsync to the node last succeeded (Unix time); absent before the first.",
            n => n.LastSuccess is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : null),
        ("inosync_node_rsync_runs_total", "counter", "rsync processes started for the node.", n => n.RsyncRuns),
        ("inosync_node_failures_total", "counter", "rsync runs for the node that failed.", n => n.Failures),
        ("inosync_node_files_transferred_total", "counter", "Regular files rsync transferred to the node.", n => n.FilesTransferred),
        ("inosync_node_bytes_transferred_total", "counter", "Bytes of the files rsync transferred to the node.", n => n.BytesTransferred),
        ("inosync_node_full_syncs_total", "counter", "Full syncs of the node that succeeded.", n => n.FullSyncs),
    ];

    private static readonly (string Name, string Type, string Help, Func<SyncMetrics, double> Value)[] s_syncFamilies =
    [
        ("inosync_sync_watches", "gauge", "Directories watched.", s => s.Watches),
        ("inosync_sync_queue_depth", "gauge", "Changes waiting between the watcher and the nodes.", s => s.QueueDepth),
        ("inosync_sync_overflows_total", "counter", "Kernel event queue overflows (each costs every node a full sync).", s => s.Overflows),
    ];

    /// <summary>The whole file.</summary>
    public static byte[] Render(IReadOnlyList<SyncMetrics> syncs)
    {
        ArgumentNullException.ThrowIfNull(syncs);
        var text = new StringBuilder();
        foreach (var (name, type, help, value) in s_nodeFamilies)
        {
            Header(text, name, type, help);
            foreach (var sync in syncs)
            {
                foreach (var node in sync.Nodes)
                {
                    if (value(node) is { } sample)
                    {
                        Sample(text, name, $"sync=\"{Escape(sync.Sync)}\",node=\"{Escape(node.Node)}\"", sample);
                    }
                }
            }
        }

        foreach (var (name, type, help, value) in s_syncFamilies)
        {
            Header(text, name, type, help);
            foreach (var sync in syncs)
            {
                Sample(text, name, $"sync=\"{Escape(sync.Sync)}\"", value(sync));
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    // Label values escape '\', '"' and newline; names that are not UTF-8 are shown as FileNameEncoding shows them.
    private static string Escape(string value) =>
        FileNameEncoding.ForDisplay(value).Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
