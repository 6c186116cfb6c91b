using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Rsync;
using Inosync.Watching;
using Serilog;

namespace Inosync.Nodes;

/// <summary>
/// Keeps one node equal to the source: collects the node's changes and sends one batch at a time through its
/// <see cref="INodeTransport"/>, retrying as its <see cref="RetryPolicy"/> says. One per node, each its own loop, so a
/// failing node never delays the others. This type is the loop; the protocol, the retry decisions, the status counters
/// and the log messages are the transport's, <see cref="RetryPolicy"/>'s, <see cref="NodeStatusRecorder"/>'s and
/// <see cref="BatchLog"/>'s.
/// </summary>
/// <remarks>
/// Implementation notes:
/// - Group commit: when idle, the first change starts a batch at once (after edelay if one is set); the batch is
///   everything pending, and while it runs new changes pile up for the next batch. So a burst costs at most two runs,
///   and a slow node gets bigger, fewer batches instead of a queue.
/// - No timers while idle: the loop sleeps on <see cref="PendingChanges"/>' wake-up, which Enqueue signals.
/// - Nothing is lost: a batch that did not go through goes back into the set (merged with newer changes) and is
///   retried after the backoff delay. The one exception is a batch <see cref="RetryPolicy"/> gives up: one that keeps
///   failing because the source cannot be read, logged with the paths; the next full sync retries them.
/// - <see cref="StatusChanged"/> is raised after anything <see cref="GetStatus"/> reports changes, outside the lock, so
///   a status writer can sleep until then instead of polling. Handlers must be cheap and must not block.
/// - Stop: no new waiting; a running batch gets <see cref="NodeWorkerOptions.StopGrace"/> to finish (then SIGTERM,
///   then SIGKILL); once the source is quiet (the pipeline has drained its watcher), whatever is pending (including a
///   killed batch) is synced once more, within its own StopGrace, and RunAsync returns. Worst case:
///   2 × (StopGrace + TerminateGrace). Hurried (a second signal), a running batch is terminated at once and the final
///   sync is skipped. Whatever was not synced stays pending, so the last status tells.
/// </remarks>
public sealed class NodeWorker
{
    private readonly SyncConfig _sync;
    private readonly NodeConfig _node;
    private readonly NodeWorkerOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _timeProvider;
    private readonly INodeTransport _transport;
    private readonly RetryPolicy _retry;
    private readonly NodeStatusRecorder _status;
    private readonly UnsendablePaths _unsendable;
    private readonly BatchLog _batchLog;
    private readonly PendingChanges _pending;

    private readonly TaskCompletionSource _firstFullSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _batchesEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Loop-only state.
    private CancellationToken _hurry;
    private int _started;

    /// <param name="sync">The sync this node belongs to (source, excludes, rsync binary, edelay).</param>
    /// <param name="node">The node.</param>
    /// <param name="coalescer">How the node's pending changes are narrowed.</param>
    /// <param name="options">Retry, stop and pretend settings.</param>
    /// <param name="logger">The log; the worker adds its own source context.</param>
    /// <param name="timeProvider">The clock for edelay, backoff and stop deadlines.</param>
    /// <param name="source">The watched directory held open (Linux): rsync reads it instead of the path, and no batch
    /// runs once the path names something else. Null: rsync reads wpath by its path.</param>
    public NodeWorker(
        SyncConfig sync,
        NodeConfig node,
        CoalescerOptions coalescer,
        NodeWorkerOptions options,
        ILogger logger,
        TimeProvider timeProvider,
        PinnedSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(coalescer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PartialTransferAttempts, 1);
        _sync = sync;
        _node = node;
        _options = options;
        _log = logger.ForContext<NodeWorker>();
        _timeProvider = timeProvider;
        _transport = options.Pretend ? new PretendTransport(sync, node, _log)
            : node.Kind == NodeKind.FileTransfer && OperatingSystem.IsLinux() ? new LftpTransport(sync, node, source, options, _log)
            : new RsyncTransport(sync, node, source, options, _log, logger);
        _retry = new RetryPolicy(new Backoff(timeProvider, options.InitialRetryDelay, options.MaximumRetryDelay), options.PartialTransferAttempts);
        _status = new NodeStatusRecorder(node.Target, timeProvider);
        _unsendable = new UnsendablePaths(node.Target, _log);
        _batchLog = new BatchLog(_log, node, options.StopGrace);
        _pending = new PendingChanges(coalescer);
    }

    /// <summary>The node this worker syncs.</summary>
    public NodeConfig Node => _node;

    /// <summary>Completes when a full sync of the node has succeeded for the first time (the initial sync).</summary>
    public Task FirstFullSyncCompleted => _firstFullSync.Task;

    /// <summary>Raised after anything <see cref="GetStatus"/> reports may have changed. Must be cheap: it runs on the caller's thread.</summary>
    public event EventHandler? StatusChanged;

    /// <summary>Adds one change for the next batch. Thread-safe; never blocks on rsync.</summary>
    public void Enqueue(FsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _pending.Add(change);
        OnStatusChanged();
    }

    /// <summary>Schedules a full sync of the node (startup, overflow, the periodic drift repair). Thread-safe.</summary>
    public void RequestFullSync()
    {
        _pending.RequestFullSync();
        OnStatusChanged();
    }

    /// <summary>A snapshot of the counters. Thread-safe.</summary>
    public NodeStatus GetStatus()
    {
        return _status.Snapshot(_pending.Count);
    }

    /// <summary>
    /// Syncs batches until <paramref name="stopping"/> fires, then syncs what is pending one last time and returns.
    /// Call once. Does not throw on rsync failures: they are logged and retried.
    /// </summary>
    public Task RunAsync(CancellationToken stopping) => RunAsync(Task.CompletedTask, stopping, CancellationToken.None);

    /// <summary>
    /// Syncs batches until <paramref name="stopping"/> fires; then, once <paramref name="sourceQuiet"/> completes (no
    /// more changes will come), syncs what is pending one last time and returns. <paramref name="hurry"/> ends a
    /// running rsync at once and skips the final sync: what was not synced stays in <see cref="NodeStatus.Pending"/>.
    /// Call once. Does not throw on rsync failures: they are logged and retried.
    /// </summary>
    public async Task RunAsync(Task sourceQuiet, CancellationToken stopping, CancellationToken hurry)
    {
        ArgumentNullException.ThrowIfNull(sourceQuiet);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("RunAsync can only run once per worker.");
        }

        _hurry = hurry;
        try
        {
            await RunBatchesAsync(stopping, hurry);
        }
        finally
        {
            _batchesEnded.TrySetResult();
        }

        try
        {
            await sourceQuiet.WaitAsync(hurry);
        }
        catch (OperationCanceledException)
        {
            // Hurried: no final sync.
        }

        if (!hurry.IsCancellationRequested)
        {
            using var finalDeadline = new CancellationTokenSource(_options.StopGrace, _timeProvider);
            using var onHurry = hurry.Register(finalDeadline.Cancel);
            await SyncPendingAsync(isFinal: true, finalDeadline.Token, finalDeadline.Token);
        }

        _status.SetState(NodeState.Stopped);
        OnStatusChanged();
    }

    /// <summary>Completes once <see cref="RunAsync(Task, CancellationToken, CancellationToken)"/> has stopped starting
    /// batches and the last one has ended; only the final sync is left.</summary>
    public Task BatchesEnded => _batchesEnded.Task;

    private async Task RunBatchesAsync(CancellationToken stopping, CancellationToken hurry)
    {
        try
        {
            // Changes pile up meanwhile; nothing is lost by waiting.
            await _transport.PrepareAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping before the first sync: the final sync still runs.
        }

        // A running rsync is not cancelled by `stopping` itself, only StopGrace later, or at once when hurried.
        using var runningDeadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var onStop = stopping.Register(() => runningDeadline.CancelAfter(_options.StopGrace));
        using var onHurry = hurry.Register(runningDeadline.Cancel);

        while (await _pending.WaitForWorkAsync(_sync.ExtraDelay, _timeProvider, OnIdle, stopping))
        {
            var succeeded = await SyncPendingAsync(isFinal: false, stopping, runningDeadline.Token);
            if (!succeeded && !await WaitToRetryAsync(stopping))
            {
                break;
            }
        }
    }

    /// <summary>Waits out the backoff delay; false when stopping.</summary>
    private async Task<bool> WaitToRetryAsync(CancellationToken stopping)
    {
        try
        {
            await _retry.WaitAsync(stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits for a process slot (until <paramref name="slotWait"/>), then takes everything pending and syncs it as one
    /// batch. True on success, or when there was nothing to do or no slot came (what is pending stays pending).
    /// </summary>
    private async Task<bool> SyncPendingAsync(bool isFinal, CancellationToken slotWait, CancellationToken deadline)
    {
        if (_pending.IsEmpty)
        {
            return true;
        }

        // Taken only once a slot is ours: changes that arrive while the node waits merge into this batch.
        if (_options.Slots is not null)
        {
            _status.SetState(NodeState.Waiting);
            OnStatusChanged();
        }

        using IDisposable? slot = await ProcessSlots.TryAcquireAsync(_options.Slots, slotWait);
        if (slot is null)
        {
            return true;
        }

        SyncBatch batch = _pending.Take();
        if (batch.IsEmpty)
        {
            return true;
        }

        _status.BatchStarted();
        OnStatusChanged();
        using ITimer? slow = _sync.SlowBatch is { } after ? _timeProvider.CreateTimer(_ => MarkSlow(after), null, after, Timeout.InfiniteTimeSpan) : null;
        try
        {
            var context = new TransportContext(_firstFullSync.Task.IsCompleted, _status.ProcessStarted);
            TransportResult result;
            try
            {
                result = await _transport.SendAsync(batch, context, deadline);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return Terminated(batch, isFinal);
            }

            return Completed(batch, result, isFinal);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug (say, a malformed batch). Losing the batch would leave the node stale, and retrying it would
            // fail the same way: a full sync is the safe action.
            _batchLog.Unexpected(e, batch);
            _pending.RequestFullSync();

            _status.Failed(new ProcessResult(ProcessResult.NotStartedExitCode, "", e.Message, TimeSpan.Zero));
            _retry.FailedUnexpectedly();
            _status.Retrying(_retry.NextAttempt);
            return false;
        }
        finally
        {
            slow?.Dispose();
            _status.SetSlow(false);
            OnStatusChanged();
        }
    }

    private void MarkSlow(TimeSpan after)
    {
        _status.SetSlow(true);
        _batchLog.SlowBatch(after);
        OnStatusChanged();
    }

    /// <summary>Acts on how a batch ended; true on success.</summary>
    private bool Completed(SyncBatch batch, TransportResult sent, bool isFinal)
    {
        if (sent.Refused)
        {
            // Kept pending without anything run; the reason shows in the status, and the next try waits out the backoff.
            _status.Failed(sent.Process);
            KeepPending(batch);
            _retry.FailedUnexpectedly();
            _status.Retrying(_retry.NextAttempt);
            return false;
        }

        ProcessResult result = sent.Process;
        if (result.ExitCode == RsyncExitCodes.MaxDeleteReached && sent.DeleteLimit is { } limit && _retry.SayAgain)
        {
            _batchLog.DeletionsLimited(limit, _sync.WatchPath);
        }

        if (sent.Unsendable.Count > 0)
        {
            _status.SetWarning(_unsendable.Report(sent.Unsendable, sent.SourcePrefix, sent.UnsendableReason));
        }

        if (sent.Outcome == RsyncOutcome.Success)
        {
            int failuresBefore = _retry.Succeeded();
            var stats = sent.Stats ?? RsyncStats.Parse(result.StandardOutput);
            _status.Succeeded(batch.ChangeCount, stats, batch.FullSync);
            if (batch.FullSync && result.ExitCode == 0 && _unsendable.Clear())
            {
                // A clean full sync saw the whole tree: the too-long paths are gone.
                _status.SetWarning(null);
            }

            if (batch.FullSync)
            {
                _firstFullSync.TrySetResult();
            }

            _batchLog.Succeeded(batch, result, stats, failuresBefore);
            return true;
        }

        _status.Failed(result);
        if (isFinal)
        {
            _batchLog.FinalFailed(batch, result);
            KeepPending(batch);
            return false;
        }

        RetryDecision decision = _retry.Failed(sent.Outcome);
        if (decision.Drop)
        {
            // One unreadable file must not block the node forever: give this batch up (newer changes stay pending)
            // and let the next full sync try again. The next batch starts at once.
            _batchLog.Dropped(batch, result, decision.Attempt);
            _status.Dropped();
            return false;
        }

        KeepPending(batch);
        _status.Retrying(_retry.NextAttempt);
        _batchLog.Retrying(batch, result, sent.Outcome, decision);
        return false;
    }

    private bool Terminated(SyncBatch batch, bool isFinal)
    {
        _status.Failed(new ProcessResult(ProcessResult.NotStartedExitCode, "", "terminated at stop", _options.StopGrace));

        // Kept even at the very end: the final status counts what was left unsynced.
        KeepPending(batch);
        _batchLog.Terminated(batch, isFinal, _hurry.IsCancellationRequested);
        return false;
    }

    /// <summary>Puts a batch that did not go through back, merged with newer changes: nothing is lost.</summary>
    private void KeepPending(SyncBatch batch) => _pending.Add(batch);

    private void OnIdle()
    {
        _status.SetState(NodeState.Idle);
        OnStatusChanged();
    }

    private void OnStatusChanged() => StatusChanged?.Invoke(this, EventArgs.Empty);
}
