using Inosync.Nodes;

namespace Inosync.Status;

/// <summary>One node in the status file: a <see cref="NodeStatus"/> with its state spelled as the file spells it.</summary>
/// <param name="Node">The node's target (rsync's destination).</param>
/// <param name="State">"idle", "waiting", "syncing", "retrying" or "stopped".</param>
/// <param name="NextAttempt">When retrying: when the next attempt is due.</param>
/// <param name="LastSuccess">When a batch last succeeded.</param>
/// <param name="LastError">The last failure; kept after a later success, so a flapping node shows.</param>
/// <param name="ConsecutiveFailures">Failures since the last success: above 0 means the node is failing.</param>
/// <param name="Pending">Changes waiting for the next batch.</param>
/// <param name="Batches">Batches attempted (a retried batch counts again).</param>
/// <param name="RsyncRuns">rsync processes run.</param>
/// <param name="Failures">Batches that failed.</param>
/// <param name="DroppedBatches">Batches given up after repeated partial transfers (exit 23).</param>
/// <param name="PathsSynced">Changes in batches that succeeded.</param>
public sealed record NodeStatusEntry(
    string Node,
    string State,
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
    public const string Idle = "idle";
    public const string Waiting = "waiting";
    public const string Syncing = "syncing";
    public const string Retrying = "retrying";
    public const string Stopped = "stopped";

    /// <summary>When the running batch started (state "syncing").</summary>
    public DateTimeOffset? BatchStarted { get; init; }

    /// <summary>The running batch has run longer than slow_batch.</summary>
    public bool Slow { get; init; }

    /// <summary>Something to know while the node is otherwise healthy (paths that cannot be synced).</summary>
    public string? Warning { get; init; }

    /// <summary>True when the node's last attempt failed and no later one has succeeded yet, or its batch is too slow.</summary>
    public bool IsFailing => State == Retrying || ConsecutiveFailures > 0 || Slow;

    public static NodeStatusEntry From(NodeStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        string state = status.State switch
        {
            NodeState.Idle => Idle,
            NodeState.Waiting => Waiting,
            NodeState.Syncing => Syncing,
            NodeState.Retrying => Retrying,
            NodeState.Stopped => Stopped,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status.State, "unknown node state"),
        };
        return new NodeStatusEntry(
            status.Node,
            state,
            status.NextAttempt,
            status.LastSuccess,
            status.LastError,
            status.ConsecutiveFailures,
            status.Pending,
            status.Batches,
            status.RsyncRuns,
            status.Failures,
            status.DroppedBatches,
            status.PathsSynced)
        {
            BatchStarted = status.BatchStarted,
            Slow = status.Slow,
            Warning = status.Warning,
        };
    }
}
