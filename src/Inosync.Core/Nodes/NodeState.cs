namespace Inosync.Nodes;

/// <summary>What a <see cref="NodeWorker"/> is doing.</summary>
public enum NodeState
{
    /// <summary>Waiting for changes (or collecting them during edelay).</summary>
    Idle,

    /// <summary>Changes are pending, and the node waits for one of the max_processes slots.</summary>
    Waiting,

    /// <summary>An rsync is running.</summary>
    Syncing,

    /// <summary>The last rsync failed; waiting for the backoff delay before the next attempt.</summary>
    Retrying,

    /// <summary>RunAsync has returned.</summary>
    Stopped,
}
