using Inosync.Processes;
using Inosync.Rsync;

namespace Inosync.Nodes;

/// <summary>
/// The counters and state <see cref="NodeWorker.GetStatus"/> reports, kept consistent under one lock: written by the
/// worker's loop, read by the status writer from any thread.
/// </summary>
internal sealed class NodeStatusRecorder(string node, TimeProvider time)
{
    private readonly Lock _lock = new();
    private NodeState _state = NodeState.Idle;
    private DateTimeOffset? _nextAttempt;
    private DateTimeOffset? _lastSuccess;
    private NodeError? _lastError;
    private int _consecutiveFailures;
    private long _batches;
    private long _rsyncRuns;
    private long _failures;
    private long _droppedBatches;
    private long _pathsSynced;
    private long _filesTransferred;
    private long _bytesTransferred;
    private long _fullSyncs;
    private DateTimeOffset? _batchStarted;
    private bool _slow;
    private string? _warning;

    public void SetState(NodeState state)
    {
        lock (_lock)
        {
            _state = state;
        }
    }

    public void BatchStarted()
    {
        lock (_lock)
        {
            _state = NodeState.Syncing;
            _batchStarted = time.GetUtcNow();
            _batches++;
        }
    }

    public void ProcessStarted()
    {
        lock (_lock)
        {
            _rsyncRuns++;
        }
    }

    public void SetSlow(bool slow)
    {
        lock (_lock)
        {
            _slow = slow;
        }
    }

    public void SetWarning(string? warning)
    {
        lock (_lock)
        {
            _warning = warning;
        }
    }

    public void Succeeded(int paths, RsyncStats? stats, bool fullSync)
    {
        lock (_lock)
        {
            _lastSuccess = time.GetUtcNow();
            _consecutiveFailures = 0;
            _nextAttempt = null;
            _pathsSynced += paths;
            _filesTransferred += stats?.FilesTransferred ?? 0;
            _bytesTransferred += stats?.BytesTransferred ?? 0;
            _fullSyncs += fullSync ? 1 : 0;
        }
    }

    public void Failed(ProcessResult result)
    {
        lock (_lock)
        {
            _failures++;
            _consecutiveFailures++;
            _lastError = new NodeError(time.GetUtcNow(), result.ExitCode, result.FirstErrorLine);
        }
    }

    /// <summary>Waiting for the next attempt, due at <paramref name="nextAttempt"/>.</summary>
    public void Retrying(DateTimeOffset? nextAttempt)
    {
        lock (_lock)
        {
            _state = NodeState.Retrying;
            _nextAttempt = nextAttempt;
        }
    }


    public void Dropped()
    {
        lock (_lock)
        {
            _droppedBatches++;
            _nextAttempt = null;
        }
    }

    public NodeStatus Snapshot(int pending)
    {
        lock (_lock)
        {
            return new NodeStatus(
                node,
                _state,
                _state == NodeState.Retrying ? _nextAttempt : null,
                _lastSuccess,
                _lastError,
                _consecutiveFailures,
                pending,
                _batches,
                _rsyncRuns,
                _failures,
                _droppedBatches,
                _pathsSynced)
            {
                BatchStarted = _state == NodeState.Syncing ? _batchStarted : null,
                Slow = _slow,
                Warning = _warning,
                FilesTransferred = _filesTransferred,
                BytesTransferred = _bytesTransferred,
                FullSyncs = _fullSyncs,
            };
        }
    }
}
