namespace Inosync.Nodes;

/// <summary>A consistent snapshot of one <see cref="NodeWorker"/>, for the status file.</summary>
/// <param name="Node">The node's target.</param>
/// <param name="State">What the worker is doing.</param>
/// <param name="NextAttempt">When <see cref="NodeState.Retrying"/>: when the next attempt is due.</param>
/// <param name="LastSuccess">When the last batch succeeded, or null.</param>
/// <param name="LastError">The last failure, or null; kept after a later success so a flapping node shows.</param>
/// <param name="ConsecutiveFailures">Failures since the last success.</param>
/// <param name="Pending">Changes waiting for the next batch (not counting the one running).</param>
/// <param name="Batches">Batches attempted (a retried batch counts again).</param>
/// <param name="RsyncRuns">rsync processes run (zero in pretend mode).</param>
/// <param name="Failures">Batches that failed.</param>
/// <param name="DroppedBatches">Batches given up after repeated partial transfers.</param>
/// <param name="PathsSynced">Changes in batches that succeeded.</param>
public sealed record NodeStatus(
    string Node,
    NodeState State,
    DateTimeOffset? NextAttempt,
    DateTimeOffset? LastSuccess,
    NodeError? LastError,
    int ConsecutiveFailures,
    int Pending,
    long Batches,
    long RsyncRuns,
    long Failures,
    long DroppedBatches,
    long PathsSynced)
{
    /// <summary>When the running batch started (state Syncing), or null.</summary>
    public DateTimeOffset? BatchStarted { get; init; }

    /// <summary>The running batch has run longer than slow_batch: the node counts as failing until it ends.</summary>
    public bool Slow { get; init; }

    /// <summary>Something the admin should know while the node is otherwise healthy (paths that cannot be synced), or null.</summary>
    public string? Warning { get; init; }

    /// <summary>Regular files rsync transferred in successful runs ("Number of regular files transferred").</summary>
    public long FilesTransferred { get; init; }

    /// <summary>Bytes of the files rsync transferred in successful runs ("Total transferred file size").</summary>
    public long BytesTransferred { get; init; }

    /// <summary>Full syncs that succeeded (at start, after an overflow, every full_sync_interval).</summary>
    public long FullSyncs { get; init; }
}
