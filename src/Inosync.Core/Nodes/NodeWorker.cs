using System.Globalization;
using System.Threading.Channels;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Renaming;
using Inosync.Rsync;
using Inosync.Watching;
using Serilog;
using Serilog.Events;

namespace Inosync.Nodes;

/// <summary>
/// Keeps one node equal to the source: collects the node's changes and runs one rsync per batch, retrying with
/// backoff. One per node, each its own loop, so a failing node never delays the others.
/// </summary>
/// <remarks>
/// Implementation notes:
/// - Group commit: when idle, the first change starts a batch at once (after edelay if one is set); the batch is
///   everything pending, and while its rsync runs new changes pile up for the next batch. So a burst costs at most
///   two rsync runs, and a slow node gets bigger, fewer batches instead of a queue.
/// - No timers while idle: the loop waits on a capacity-1 channel that Enqueue writes to (a dropped write means a
///   wake-up is already pending). A stale wake-up only costs one look at an empty set.
/// - The <see cref="ChangeSet"/> is not thread-safe: every access is under <c>_lock</c>, which also guards the
///   status counters. The rsync runs outside the lock.
/// - Nothing is lost: a failed batch goes back into the set (merged with newer changes) and is retried after the
///   backoff delay. The one exception is a batch that keeps failing with exit 23 because the source cannot be read
///   (only <c>[sender]</c> errors: a file nobody may read): it is dropped with an error naming the paths, or one
///   unreadable file would stall the node forever. An exit 23 the node caused (read-only, immutable, full) heals on the
///   node's side, so it is retried like any failure and never dropped.
/// - Start: an rsync an earlier, killed inosync left running for this node is waited for (then terminated) before the
///   first sync, so that it cannot finish later and undo it (<see cref="LeftoverRsyncs"/>).
/// - <see cref="StatusChanged"/> is raised after anything <see cref="GetStatus"/> reports changes, outside the lock, so
///   a status writer can sleep until then instead of polling. Handlers must be cheap and must not block.
/// - Stop: no new waiting; a running rsync gets <see cref="NodeWorkerOptions.StopGrace"/> to finish (then SIGTERM,
///   then SIGKILL); once the source is quiet (the pipeline has drained its watcher), whatever is pending (including a
///   killed batch) is synced once more, within its own StopGrace, and RunAsync returns. Worst case:
///   2 × (StopGrace + TerminateGrace). Hurried (a second signal), a running rsync is terminated at once and the final
///   sync is skipped. Whatever was not synced stays pending, so the last status tells.
/// </remarks>
public sealed class NodeWorker
{
    private const int StderrLinesLogged = 5;
    private const int MaxUnsendableRemembered = 1000;

    private readonly SyncConfig _sync;
    private readonly NodeConfig _node;
    private readonly NodeWorkerOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _timeProvider;
    private readonly ProcessRunner _runner;
    private readonly NodeRenamer _renamer;
    private readonly Backoff _backoff;
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // Guarded by _lock: the change set and everything GetStatus reports.
    private readonly Lock _lock = new();
    private readonly ChangeSet _pending;
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
    private DateTimeOffset? _batchStarted;
    private bool _slow;
    private string? _warning;

    private readonly PinnedSource? _source;
    private readonly TaskCompletionSource _firstFullSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _batchesEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Loop-only state.
    private CancellationToken _hurry;
    private int _partialTransfers;
    private readonly HashSet<string> _unsendable = new(StringComparer.Ordinal);
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
        _runner = new ProcessRunner(options.TerminateGrace);
        _renamer = new NodeRenamer(logger);
        _backoff = new Backoff(timeProvider, options.InitialRetryDelay, options.MaximumRetryDelay);
        _pending = new ChangeSet(coalescer);
        _source = source;
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
        lock (_lock)
        {
            _pending.Add(change);
        }

        _wakeUp.Writer.TryWrite(true);
        OnStatusChanged();
    }

    /// <summary>Schedules a full sync of the node (startup, overflow, the periodic drift repair). Thread-safe.</summary>
    public void RequestFullSync()
    {
        lock (_lock)
        {
            _pending.RequestFullSync();
        }

        _wakeUp.Writer.TryWrite(true);
        OnStatusChanged();
    }

    /// <summary>A consistent snapshot of the counters. Thread-safe.</summary>
    public NodeStatus GetStatus()
    {
        lock (_lock)
        {
            return new NodeStatus(
                _node.Target,
                _state,
                _state == NodeState.Retrying ? _nextAttempt : null,
                _lastSuccess,
                _lastError,
                _consecutiveFailures,
                _pending.Count,
                _batches,
                _rsyncRuns,
                _failures,
                _droppedBatches,
                _pathsSynced)
            {
                BatchStarted = _state == NodeState.Syncing ? _batchStarted : null,
                Slow = _slow,
                Warning = _warning,
            };
        }
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
            await SyncPendingAsync(isFinal: true, finalDeadline.Token);
        }

        lock (_lock)
        {
            _state = NodeState.Stopped;
        }

        OnStatusChanged();
    }

    /// <summary>Completes once <see cref="RunAsync(Task, CancellationToken, CancellationToken)"/> has stopped starting
    /// batches and the last one has ended; only the final sync is left.</summary>
    public Task BatchesEnded => _batchesEnded.Task;

    private async Task RunBatchesAsync(CancellationToken stopping, CancellationToken hurry)
    {
        if (!_options.Pretend && OperatingSystem.IsLinux())
        {
            // Changes pile up meanwhile; nothing is lost by waiting.
            var (source, destination) = RsyncCommand.Endpoints(_sync, _node);
            try
            {
                await LeftoverRsyncs.WaitForAsync(source, destination, _node.Target, _options.LeftoverRsyncPatience, _options.TerminateGrace, _log, stopping);
            }
            catch (OperationCanceledException)
            {
                // Stopping before the first sync: the final sync still runs.
            }
        }

        // A running rsync is not cancelled by `stopping` itself, only StopGrace later, or at once when hurried.
        using var runningDeadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var onStop = stopping.Register(() => runningDeadline.CancelAfter(_options.StopGrace));
        using var onHurry = hurry.Register(runningDeadline.Cancel);

        while (await WaitForWorkAsync(stopping))
        {
            var succeeded = await SyncPendingAsync(isFinal: false, runningDeadline.Token);
            if (!succeeded && !await WaitToRetryAsync(stopping))
            {
                break;
            }
        }
    }

    /// <summary>Returns false when stopping; true when there is something to sync.</summary>
    private async Task<bool> WaitForWorkAsync(CancellationToken stopping)
    {
        var wasIdle = false;
        while (true)
        {
            lock (_lock)
            {
                if (stopping.IsCancellationRequested)
                {
                    return false;
                }

                if (!_pending.IsEmpty)
                {
                    break;
                }

                _state = NodeState.Idle;
            }

            OnStatusChanged();
            wasIdle = true;
            try
            {
                await _wakeUp.Reader.ReadAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        // edelay only delays a batch that starts from idle; changes that piled up during a run go at once.
        if (wasIdle && _sync.ExtraDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(_sync.ExtraDelay, _timeProvider, stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Waits out the backoff delay; false when stopping.</summary>
    private async Task<bool> WaitToRetryAsync(CancellationToken stopping)
    {
        try
        {
            await _backoff.WaitAsync(stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Takes everything pending and syncs it as one batch. True on success (or nothing to do).</summary>
    private async Task<bool> SyncPendingAsync(bool isFinal, CancellationToken deadline)
    {
        SyncBatch batch;
        lock (_lock)
        {
            batch = _pending.Take();
            if (batch.IsEmpty)
            {
                return true;
            }

            _state = NodeState.Syncing;
            _batchStarted = _timeProvider.GetUtcNow();
            _batches++;
        }

        OnStatusChanged();
        using ITimer? slow = _sync.SlowBatch is { } after ? _timeProvider.CreateTimer(_ => MarkSlow(after), null, after, Timeout.InfiniteTimeSpan) : null;
        try
        {
            return await SyncAsync(batch, isFinal, deadline);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug (say, a malformed batch). Losing the batch would leave the node stale, and retrying it would
            // fail the same way: a full sync is the safe action.
            _log.Error(e, "Syncing {Paths} paths to {Node} failed unexpectedly; scheduling a full sync", batch.ChangeCount, _node.Target);
            lock (_lock)
            {
                _pending.RequestFullSync();
            }

            RecordFailure(new ProcessResult(ProcessResult.NotStartedExitCode, "", e.Message, TimeSpan.Zero));
            _backoff.RecordFailure();
            lock (_lock)
            {
                _state = NodeState.Retrying;
                _nextAttempt = _backoff.NextAttempt;
            }

            return false;
        }
        finally
        {
            slow?.Dispose();
            lock (_lock)
            {
                _slow = false;
            }

            OnStatusChanged();
        }
    }

    private void MarkSlow(TimeSpan after)
    {
        lock (_lock)
        {
            _slow = true;
        }

        _log.Warning("The batch for {Node} is still running after {After} (slow_batch); the node counts as failing until it ends", _node.Target, after);
        OnStatusChanged();
    }

    private async Task<bool> SyncAsync(SyncBatch batch, bool isFinal, CancellationToken deadline)
    {
        string? pinned = null;
        if (_source is not null && !_options.Pretend && OperatingSystem.IsLinux())
        {
            if (!_source.StillNamedByPath())
            {
                return Refused(batch, "wpath no longer names the watched directory");
            }

            pinned = _source.RsyncSource;
        }

        int? deleteLimit = batch.FullSync ? FullSyncDeleteLimit(pinned ?? _sync.WatchPath) : null;
        bool fileListSafe = !batch.FullSync && FileListSafety.Allows(batch, _sync.WatchPath);
        var command = RsyncCommand.Create(batch, _sync, _node, deleteLimit, fileListSafe, pinned);
        if (batch.FullSync)
        {
            _log.Information("Full sync of {Node} started", _node.Target);
        }

        // Renames first, where the node can do them: the rsync that follows then finds the moved data already in
        // place and sends next to nothing. Whatever the renamer does not apply, that rsync transfers as usual.
        if (!batch.FullSync && batch.Moves.Count > 0 && _node.Moves == MoveStrategy.Rename && _node.Kind != NodeKind.RsyncDaemon)
        {
            if (_options.Pretend)
            {
                _log.Information("Pretend: would first rename {Count} moved paths on {Node}: {Moves}",
                    batch.Moves.Count, _node.Target, batch.Moves.Select(m => $"{m.From} -> {m.To}"));
            }
            else
            {
                try
                {
                    int renamed = await _renamer.RenameAsync(_node, batch.Moves, deadline);
                    _log.Debug("Renamed {Renamed} of {Count} moved paths on {Node} before syncing", renamed, batch.Moves.Count, _node.Target);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    return Terminated(batch, isFinal);
                }
            }
        }

        ProcessResult result;
        if (_options.Pretend)
        {
            _log.Information("Pretend: would sync {Paths} paths to {Node}: {Command:l}", batch.ChangeCount, _node.Target, command.ToShellString());
            if (!command.FullSync)
            {
                _log.Information("Pretend: {List:l} for {Node}: {Entries}", command.Shape == RsyncShape.FileList ? "file list" : "include list", _node.Target, command.DescribeStandardInput());
            }

            result = new ProcessResult(0, "", "", TimeSpan.Zero);
        }
        else
        {
            _log.Debug("Running {Command:l}", command.ToShellString());
            lock (_lock)
            {
                _rsyncRuns++;
            }

            try
            {
                result = await _runner.RunAsync(command.FileName, command.Arguments, command.StandardInput, deadline);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return Terminated(batch, isFinal);
            }
        }

        // Said like the failure itself: on the first refusal, then about once a minute while it lasts.
        bool sayWhy = _backoff.Failures == 0 || _backoff.IsAtCap;
        if (result.ExitCode == RsyncExitCodes.MaxDeleteReached && deleteLimit == 0 && sayWhy)
        {
            _log.Error("Full sync of {Node} deleted nothing: wpath {WatchPath} is empty (is its file system mounted?) but the node is not. Retrying; if wpath really is meant to be empty, delete on the node by hand",
                _node.Target, _sync.WatchPath);
        }
        else if (result.ExitCode == RsyncExitCodes.MaxDeleteReached && deleteLimit is not null && sayWhy)
        {
            _log.Error("Full sync of {Node} stopped deleting after {Limit} entries (max_delete) and left the rest. Retrying; if the deletions are meant, raise max_delete or set it to \"off\" and restart",
                _node.Target, deleteLimit);
        }

        var outcome = RsyncExitCodes.Classify(result.ExitCode);
        if (outcome == RsyncOutcome.PartialTransfer && RsyncErrors.UnsendableNames(result.StandardError) is { } unsendable)
        {
            // Everything else was transferred; these names can never be (rsync's limit is the same on every side).
            ReportUnsendable(unsendable, pinned ?? Path.TrimEndingDirectorySeparator(_sync.WatchPath) + "/");
            outcome = RsyncOutcome.Success;
        }
        else if (outcome == RsyncOutcome.PartialTransfer && !RsyncErrors.OnlySourceErrors(result.StandardError))
        {
            // The node refused writes: retried until it heals, never given up (the churn test lost a whole batch when a
            // node was read-only for 20 s).
            outcome = RsyncOutcome.Failure;
        }

        if (outcome == RsyncOutcome.Success)
        {
            Succeeded(batch, result);
            return true;
        }

        Failed(batch, result, outcome, isFinal);
        return false;
    }

    /// <summary>
    /// How many entries a full sync may delete: none from an empty wpath (an unmounted file system shows an empty
    /// mount point, and a restart would otherwise full-sync it with --delete and wipe every node), at most max_delete
    /// in the first full sync after start, and no limit later (a full sync after a queue overflow must be able to
    /// carry out a large rm -r).
    /// </summary>
    private int? FullSyncDeleteLimit(string source)
    {
        try
        {
            using IEnumerator<string> entries = Directory.EnumerateFileSystemEntries(source).GetEnumerator();
            if (!entries.MoveNext())
            {
                return 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // rsync will fail to read it too; deleting nothing is the safe side.
            return 0;
        }

        return _firstFullSync.Task.IsCompleted ? null : _sync.MaxDelete;
    }

    /// <summary>Keeps <paramref name="batch"/> pending without running rsync, and reports why in the status.</summary>
    private bool Refused(SyncBatch batch, string why)
    {
        RecordFailure(new ProcessResult(ProcessResult.NotStartedExitCode, "", why, TimeSpan.Zero));
        lock (_lock)
        {
            _pending.Add(batch);
            _state = NodeState.Retrying;
        }

        return false;
    }

    private bool Terminated(SyncBatch batch, bool isFinal)
    {
        RecordFailure(new ProcessResult(ProcessResult.NotStartedExitCode, "", "terminated at stop", _options.StopGrace));
        lock (_lock)
        {
            // Kept even at the very end: the final status counts what was left unsynced.
            _pending.Add(batch);
        }

        if (_hurry.IsCancellationRequested)
        {
            _log.Warning("rsync to {Node} was terminated at once (second stop signal); its {Paths} paths were not synced", _node.Target, batch.ChangeCount);
        }
        else if (isFinal)
        {
            _log.Error("rsync to {Node} did not finish within {Grace:0.#} s after stop and was terminated; {Paths} paths were not synced",
                _node.Target, _options.StopGrace.TotalSeconds, batch.ChangeCount);
        }
        else
        {
            _log.Warning("rsync to {Node} did not finish within {Grace:0.#} s after stop and was terminated; its {Paths} paths go into the final batch",
                _node.Target, _options.StopGrace.TotalSeconds, batch.ChangeCount);
        }

        return false;
    }

    /// <summary>Logs each path that cannot be synced once, and keeps a warning in the status while any is known.</summary>
    private void ReportUnsendable(IReadOnlyList<string> paths, string source)
    {
        foreach (string path in paths)
        {
            string relative = path.StartsWith(source, StringComparison.Ordinal) ? path[source.Length..] : path;
            if (_unsendable.Count < MaxUnsendableRemembered && _unsendable.Add(relative))
            {
                _log.Warning("{Path} cannot be synced to {Node}: its path is longer than rsync's limit of 4096 bytes (PATH_MAX). Everything else is synced; while it exists, full syncs delete nothing on the node",
                    Abbreviate(relative), _node.Target);
            }
        }

        lock (_lock)
        {
            _warning = string.Create(CultureInfo.InvariantCulture,
                $"{_unsendable.Count}{(_unsendable.Count == MaxUnsendableRemembered ? " or more" : "")} paths longer than 4096 bytes cannot be synced (first: {Abbreviate(FileNameEncoding.ForDisplay(_unsendable.First()))}); full syncs delete nothing while they exist");
        }
    }

    /// <summary>A path of thousands of bytes, cut to its start and end for one log line.</summary>
    private static string Abbreviate(string path) => path.Length <= 120 ? path : string.Concat(path.AsSpan(0, 60), "…", path.AsSpan(path.Length - 59));

    private void Succeeded(SyncBatch batch, ProcessResult result)
    {
        var failuresBefore = _backoff.Failures;
        _backoff.Reset();
        _partialTransfers = 0;
        lock (_lock)
        {
            _lastSuccess = _timeProvider.GetUtcNow();
            _consecutiveFailures = 0;
            _nextAttempt = null;
            _pathsSynced += batch.ChangeCount;
        }

        if (failuresBefore > 0)
        {
            _log.Information("{Node} is back after {Failures} failed attempts", _node.Target, failuresBefore);
        }

        var stats = RsyncStats.Parse(result.StandardOutput);
        if (batch.FullSync && result.ExitCode == 0 && _unsendable.Count > 0)
        {
            // A clean full sync saw the whole tree: the too-long paths are gone.
            _unsendable.Clear();
            lock (_lock)
            {
                _warning = null;
            }
        }

        if (batch.FullSync)
        {
            _firstFullSync.TrySetResult();
            _log.Information("Full sync of {Node} finished in {Elapsed:0} ms (exit {ExitCode}): {Files} files, {Bytes} bytes transferred",
                _node.Target, result.Duration.TotalMilliseconds, result.ExitCode, stats?.FilesTransferred, stats?.BytesTransferred);
        }
        else
        {
            _log.Information("Synced {Paths} paths to {Node} in {Elapsed:0} ms (exit {ExitCode})",
                batch.ChangeCount, _node.Target, result.Duration.TotalMilliseconds, result.ExitCode);
            if (stats is not null)
            {
                _log.Debug("rsync to {Node} transferred {Files} files, {Bytes} bytes", _node.Target, stats.FilesTransferred, stats.BytesTransferred);
            }
        }

        if (result.ExitCode != 0)
        {
            _log.Debug("rsync to {Node} exited {ExitCode} ({Meaning}): {Stderr}",
                _node.Target, result.ExitCode, RsyncExitCodes.Describe(result.ExitCode), FirstLines(result.StandardError));
        }
    }

    private void Failed(SyncBatch batch, ProcessResult result, RsyncOutcome outcome, bool isFinal)
    {
        RecordFailure(result);
        _partialTransfers = outcome == RsyncOutcome.PartialTransfer ? _partialTransfers + 1 : 0;

        if (isFinal)
        {
            _log.Error("Final sync of {Paths} paths to {Node} failed with exit code {ExitCode} ({Meaning}); they were not synced: {Stderr}",
                batch.ChangeCount, _node.Target, result.ExitCode, RsyncExitCodes.Describe(result.ExitCode), FirstLines(result.StandardError));
            lock (_lock)
            {
                _pending.Add(batch);
            }

            return;
        }

        if (outcome == RsyncOutcome.PartialTransfer && _partialTransfers >= _options.PartialTransferAttempts)
        {
            // One unreadable file must not block the node forever: give this batch up (newer changes stay
            // pending) and let the next full sync try again.
            _log.Error("Dropping a batch of {Paths} paths to {Node} after {Attempts} partial transfers (exit 23); the next full sync retries them. Failing: {FailedPaths}",
                batch.ChangeCount, _node.Target, _partialTransfers, RsyncErrors.FailedPaths(result.StandardError));
            _partialTransfers = 0;
            _backoff.Reset();
            lock (_lock)
            {
                _droppedBatches++;
                _nextAttempt = null;
            }

            // Returning false skips no delay: the backoff was reset, so the next batch starts at once.
            return;
        }

        var delay = _backoff.RecordFailure();
        lock (_lock)
        {
            _pending.Add(batch);
            _state = NodeState.Retrying;
            _nextAttempt = _backoff.NextAttempt;
        }

        // Log the first failure and then each time the delay is at its cap (about once a minute), not every retry.
        var level = LogEventLevel.Debug;
        if (_backoff.Failures == 1 || _backoff.IsAtCap)
        {
            // An admin must act on these; the others may heal by themselves.
            level = outcome is RsyncOutcome.ConfigurationError or RsyncOutcome.NotStarted ? LogEventLevel.Error : LogEventLevel.Warning;
        }

        if (outcome == RsyncOutcome.NotStarted)
        {
            _log.Write(level, "Cannot run rsync for {Node}: {Error}; attempt {Attempt}, retrying in {Delay:0.0} s",
                _node.Target, result.StartError ?? result.StandardError, _backoff.Failures, delay.TotalSeconds);
            return;
        }

        _log.Write(level, "rsync to {Node} failed with exit code {ExitCode} ({Meaning}) after {Elapsed:0} ms; attempt {Attempt}, retrying {Paths} paths in {Delay:0.0} s: {Stderr}",
            _node.Target, result.ExitCode, RsyncExitCodes.Describe(result.ExitCode), result.Duration.TotalMilliseconds,
            _backoff.Failures, batch.ChangeCount, delay.TotalSeconds, FirstLines(result.StandardError));
    }

    private void RecordFailure(ProcessResult result)
    {
        lock (_lock)
        {
            _failures++;
            _consecutiveFailures++;
            _lastError = new NodeError(_timeProvider.GetUtcNow(), result.ExitCode, result.FirstErrorLine);
        }
    }

    private void OnStatusChanged() => StatusChanged?.Invoke(this, EventArgs.Empty);

    private static string FirstLines(string text)
    {
        var lines = new List<string>(StderrLinesLogged);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.IsWhiteSpace())
            {
                lines.Add(line.TrimEnd().ToString());
                if (lines.Count == StderrLinesLogged)
                {
                    break;
                }
            }
        }

        return string.Join('\n', lines);
    }
}
