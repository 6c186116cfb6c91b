using System.Threading.Channels;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Filtering;
using Inosync.Nodes;
using Inosync.Rsync;
using Inosync.Watching;
using Serilog;

namespace Inosync.Pipeline;

/// <summary>
/// One watched tree, end to end: watcher → bounded channel → dispatcher → one <see cref="NodeWorker"/> per node.
/// </summary>
/// <remarks>
/// Implementation notes.
/// - Order of start: watches first, then the initial full sync is requested on every worker, then the workers
///   run. Changes seen while the initial sync runs queue up in each worker's change set: nothing is lost, and
///   what the full sync already covered is merged into it while it is still pending.
/// - The channel is bounded (FullMode = Wait): when the dispatcher falls behind, the watcher's reader blocks
///   and the kernel's queue buffers behind it; a kernel overflow becomes a full sync. Nothing is dropped here.
/// - The dispatcher fans each change out to every worker. Workers are independent: a failing node retries on
///   its own backoff while the others stay current.
/// - Stop order (SIGTERM): the workers stop starting batches and let a running rsync finish while the watcher still
///   watches (a file written during a slow stop is not missed); then the watcher stops, the channel is drained into
///   the workers, and each syncs what is pending once more. Hurried (a second signal), running rsyncs end at once and
///   the final sync is skipped.
/// </remarks>
public sealed class SyncPipeline : IAsyncDisposable
{
    private readonly SyncConfig _config;
    private readonly PipelineOptions _options;
    private readonly ILogger _log;
    private readonly Channel<FsChange> _channel;
    private readonly IChangeWatcher _watcher;
    private readonly IReadOnlyList<NodeWorker> _workers;
    private readonly PinnedSource? _source;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _hurry = new();
    private readonly TaskCompletionSource _sourceQuiet = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _dispatcher = Task.CompletedTask;
    private Task _workersDone = Task.CompletedTask;
    private Task _periodicFullSync = Task.CompletedTask;
    private int _stopped;
    private long _overflows;
    private bool _workersStarted;

    public SyncPipeline(SyncConfig config, PipelineOptions options)
        : this(config, options, watcher: null)
    {
    }

    /// <param name="config">The sync.</param>
    /// <param name="options">Logging, pretend mode, the clock.</param>
    /// <param name="watcher">The watcher to read changes from; null: the one <see cref="SyncConfig.Watcher"/> names.</param>
    internal SyncPipeline(SyncConfig config, PipelineOptions options, IChangeWatcher? watcher)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        _config = config;
        _options = options;
        _log = options.Logger.ForContext("Sync", config.Name);
        _channel = Channel.CreateBounded<FsChange>(new BoundedChannelOptions(config.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _watcher = watcher ?? ChangeWatcherFactory.Create(
            config.Watcher,
            new WatcherOptions(config.WatchPath, config.Filter, _log) { OpenWriteInterval = config.OpenWriteInterval, TimeProvider = options.TimeProvider });
        var coalescer = new CoalescerOptions(config.MaxNamesPerDirectory, config.Filter);
        var workerOptions = new NodeWorkerOptions { Pretend = options.Pretend, Slots = options.Slots };
        try
        {
            _source = OperatingSystem.IsLinux() ? PinnedSource.Open(config.WatchPath) : null;
        }
        catch (IOException ex)
        {
            throw new ConfigException($"{config.Location}: {ex.Message}", ExitCode.Config, ex);
        }

        _workers = [.. config.Nodes.Select(node => new NodeWorker(config, node, coalescer, workerOptions, _log, options.TimeProvider, _source))];
    }

    public SyncConfig Config => _config;

    public IReadOnlyList<NodeWorker> Workers => _workers;

    public int WatchCount => _watcher.WatchCount;

    /// <summary>How often the kernel's event queue overflowed (each one costs every node a full sync).</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>Changes waiting between the watcher and the nodes.</summary>
    public int QueueDepth => _channel.Reader.CanCount ? _channel.Reader.Count : 0;

    /// <summary>
    /// Faults when the watcher fails for good (e.g. the watched directory itself was removed), or when wpath no longer
    /// names the watched directory (<see cref="PinnedSource"/>).
    /// </summary>
    public Task Completion => _source is null ? _watcher.Completion : Task.WhenAny(_watcher.Completion, _source.Lost).Unwrap();

    /// <summary>
    /// Establishes the watches; changes from then on wait in the queue until <see cref="StartSyncing"/>. Returns the
    /// number of directories watched.
    /// </summary>
    public async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        foreach (string warning in _config.FilterWarnings)
        {
            _log.Warning("Filter rule: {Warning}", warning);
        }

        return await _watcher.StartAsync(_channel.Writer, cancellationToken);
    }

    /// <summary>Starts the nodes (with their initial full sync) and feeds them the queued changes; after <see cref="WatchAsync"/>.</summary>
    public void StartSyncing()
    {
        if (_config.InitialSync)
        {
            foreach (var worker in _workers)
            {
                worker.RequestFullSync();
            }
        }

        _workersStarted = true;
        _workersDone = Task.WhenAll(_workers.Select(w => w.RunAsync(_sourceQuiet.Task, _stopping.Token, _hurry.Token)));
        _dispatcher = Task.Run(DispatchAsync, CancellationToken.None);
        if (_config.FullSyncInterval is { } interval)
        {
            _periodicFullSync = Task.Run(() => RequestFullSyncPeriodicallyAsync(interval), CancellationToken.None);
        }
    }

    /// <summary>Completes when every node has finished its initial full sync (at once when there is none).</summary>
    public Task InitialSyncCompleted =>
        _config.InitialSync ? Task.WhenAll(_workers.Select(w => w.FirstFullSyncCompleted)) : Task.CompletedTask;

    /// <summary>
    /// Lets running rsyncs finish, stops watching, syncs what is pending once more, and returns when every worker is
    /// done. <paramref name="hurry"/> (now or later) ends running rsyncs at once and skips the final sync.
    /// </summary>
    public async Task StopAsync(CancellationToken hurry = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await using var onHurry = hurry.Register(() => _hurry.Cancel());
        await _stopping.CancelAsync();
        if (_workersStarted)
        {
            await Task.WhenAll(_workers.Select(w => w.BatchesEnded));
        }

        await _watcher.DisposeAsync();
        _channel.Writer.TryComplete();
        await _dispatcher;
        await _periodicFullSync;
        _sourceQuiet.TrySetResult();
        await _workersDone;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
        _hurry.Dispose();
        _source?.Dispose();
    }

    private async Task DispatchAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var change))
            {
                try
                {
                    Dispatch(change);
                }
                catch (Exception ex)
                {
                    // A bug with one change must neither lose it nor end the loop (the channel would fill and block the
                    // watcher): the error is loud, every node gets a full sync, and the next change is read.
                    _log.Error(ex, "Dispatching the change of {Path} failed: {Error}; scheduling a full sync of every node", change.Path, ex.Message);
                    foreach (var worker in _workers)
                    {
                        worker.RequestFullSync();
                    }
                }
            }
        }
    }

    private void Dispatch(FsChange change)
    {
        _log.Debug("Change {Kind} {Path} (directory: {IsDirectory}, from {OldPath})", change.Kind, change.Path, change.IsDirectory, change.OldPath);
        if (change.Kind == FsChangeKind.Overflow)
        {
            Interlocked.Increment(ref _overflows);
        }

        foreach (var worker in _workers)
        {
            if (change.Kind == FsChangeKind.Overflow)
            {
                worker.RequestFullSync();
            }
            else
            {
                worker.Enqueue(change);
            }
        }
    }

    private async Task RequestFullSyncPeriodicallyAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                _log.Information("Periodic full sync of every node (full_sync_interval {Interval})", interval);
                foreach (var worker in _workers)
                {
                    worker.RequestFullSync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
