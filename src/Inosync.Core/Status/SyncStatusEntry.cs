using Inosync.Pipeline;

namespace Inosync.Status;

/// <summary>One [[sync]] in the status file.</summary>
/// <param name="Name">The sync's name (the wpath unless named).</param>
/// <param name="Wpath">The watched directory.</param>
/// <param name="Watches">Directories watched right now.</param>
/// <param name="QueueDepth">Changes waiting between the watcher and the nodes (the bounded channel).</param>
/// <param name="Nodes">One entry per node, in the order of the configuration.</param>
public sealed record SyncStatusEntry(
    string Name,
    string Wpath,
    int Watches,
    int QueueDepth,
    IReadOnlyList<NodeStatusEntry> Nodes)
{
    /// <summary>A snapshot of <paramref name="pipeline"/> (each node's counters are consistent in themselves).</summary>
    public static SyncStatusEntry From(SyncPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return new SyncStatusEntry(
            pipeline.Config.Name,
            pipeline.Config.WatchPath,
            pipeline.WatchCount,
            pipeline.QueueDepth,
            [.. pipeline.Workers.Select(w => NodeStatusEntry.From(w.GetStatus()))]);
    }
}
