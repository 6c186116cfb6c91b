using Inosync.Nodes;
using Inosync.Pipeline;

namespace Inosync.Status;

/// <summary>What the metrics file says of one [[sync]]: its watcher's numbers and each node's status.</summary>
/// <param name="Sync">The sync's name.</param>
/// <param name="Watches">Directories watched right now.</param>
/// <param name="QueueDepth">Changes waiting between the watcher and the nodes.</param>
/// <param name="Overflows">Kernel event queue overflows since start.</param>
/// <param name="Nodes">One status per node, in the order of the configuration.</param>
public sealed record SyncMetrics(string Sync, int Watches, int QueueDepth, long Overflows, IReadOnlyList<NodeStatus> Nodes)
{
    /// <summary>A snapshot of <paramref name="pipeline"/>.</summary>
    public static SyncMetrics From(SyncPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return new SyncMetrics(
            pipeline.Config.Name, pipeline.WatchCount, pipeline.QueueDepth, pipeline.Overflows, [.. pipeline.Workers.Select(w => w.GetStatus())]);
    }
}
