using System.Diagnostics;
using System.Runtime.Versioning;
using System.Threading.Channels;
using Inosync.Watching.Inotify;
using Serilog;

namespace Inosync.Watching;

// Implementation notes
//
// Ownership, locks:
//   One dedicated thread (the reader) owns all mutable state, here and in the types of Watching/Inotify it drives:
//   the watches (WatchTree: the wd→directory map and the tree of names), the held IN_MOVED_FROM (EventTranslator), the
//   files written without a close (OpenWrites). It also performs the initial walk, so there are no locks and no lock
//   order. Other threads only read WatchCount (volatile) and ask the reader to stop (cancel _stopping, then Wake the
//   instance, whose eventfd the reader polls).
//
// Missed events for recursive watching:
//   inotify is not recursive. A new directory is watched only once we handle its IN_CREATE; what happened inside it
//   before that is never reported. Hence the order: add the watch, scan (watching every subdirectory), and only then
//   emit DirectoryCreated. The downstream recursive sync starts after every watch is in place, so each change is
//   either in that sync or produces an event. The same order holds for directories moved in, for renames whose source
//   was not watched, and for an overflow (re-scan first, then Overflow).
//
// Stale paths:
//   We add a watch by path, but the path we know can be stale: mkdir p/new; mv p q — when we handle the IN_CREATE of
//   "new", p/new no longer exists, and no event about "new" itself will follow, only p's move. So a child whose watch
//   fails with ENOENT/ENOTDIR while its parent is watched is remembered on the parent (Missed) and retried whenever
//   the parent or an ancestor is re-pathed; an IN_DELETE / IN_MOVED_FROM of the name settles it the other way.
//
// Path vs directory:
//   A wd names a directory (an inode), not a path. A renamed directory keeps its wd: we re-path the entries below it
//   instead of re-adding watches. inotify_add_watch on an already-watched directory returns its existing wd; if our
//   maps have that wd under another path, the directory moved before we handled the move, and we re-path it then.
//
// Renames:
//   IN_MOVED_FROM and IN_MOVED_TO arrive as adjacent events sharing a cookie. A MOVED_FROM that ends a read is held
//   while we poll a few milliseconds for the rest (as dotnet/runtime does). If the next event is not its MOVED_TO, the
//   entry left the tree (or went into an excluded, unwatched directory): Deleted.
//
// Writes without a close:
//   A file's content is reported on IN_CLOSE_WRITE, once per save rather than once per write(2). But some changes never
//   close a written descriptor: an mtime-only utimensat (touch -m without opening), truncate(2) by path, a writer that
//   keeps its descriptor open (a log, a database). The kernel reports those as IN_MODIFY only, so an IN_MODIFY marks the
//   file, IN_CLOSE_WRITE clears the mark (and reports the file), and a mark that sees no IN_MODIFY for
//   ModifySettleMilliseconds is reported then, and so is one still being written open_write_interval after its first
//   unreported write (OpenWrites). A long write is thus synced at its close, when it pauses, and at least that often
//   meanwhile.
//
// Backpressure, loss:
//   Emit blocks the reader while the bounded channel is full. The kernel queue buffers behind it; if that overflows,
//   IN_Q_OVERFLOW becomes re-scan + Overflow. A directory we cannot watch (watch limit, permissions) is remembered on
//   its parent, and every event in the parent emits Rescan for it again. Nothing is dropped silently.
//
// Names are bytes:
//   Event names and directory listings are decoded with FileNameEncoding, which keeps a name that is not valid UTF-8
//   exact (its invalid bytes become lone surrogates), and watches are added by byte path. Such a directory is watched
//   like any other, and the name reaches rsync's include list as the very same bytes.

/// <summary>
/// Watches a tree with inotify: one watch per directory, read on a dedicated thread that blocks in poll(2) (an idle
/// watcher uses no CPU). Changes are written into the output channel in kernel order. The channel is not completed
/// by the watcher; its owner completes it once <see cref="Completion"/> completes.
/// </summary>
/// <remarks>
/// This type is the lifecycle (start, the reader thread, stop), the read loop, the final drain and the backpressure;
/// the kernel calls are <see cref="IInotify"/>'s, the watches <see cref="WatchTree"/>'s, and the meaning of each event
/// <see cref="EventTranslator"/>'s.
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class InotifyWatcher : IChangeWatcher
{
    // Room for thousands of events per read(2); a single event needs at most 16 + NAME_MAX + 1 bytes.
    private const int BufferSize = 128 * 1024;

    // How long a MOVED_FROM that ends a read waits for its MOVED_TO (dotnet/runtime uses 2 ms).
    private const int MovePairingTimeoutMilliseconds = 5;

    // How long a file written without a close must stay unwritten before it is reported (see the notes at the top).
    private static readonly TimeSpan s_modifySettle = TimeSpan.FromSeconds(1);

    // How long the final drain at stop waits for room in a full channel before giving up (and saying so).
    private const int DrainWriteTimeoutMilliseconds = 10_000;

    private const long ChannelFullLogIntervalMilliseconds = 5000;

    private const string ThreadName = "inosync-inotify";

    private readonly WatcherOptions _options;
    private readonly Func<IInotify> _openInotify;
    private readonly string _root;
    private readonly ILogger _log;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<int> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _readerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private IInotify? _inotify;
    private WatchTree? _tree;
    private Thread? _thread;
    private ChannelWriter<FsChange>? _output;
    private int _startCalled;
    private int _disposed;
    private volatile bool _closed;

    // Reader-thread state.
    private EventTranslator? _translator;
    private OpenWrites? _openWrites;
    private bool _draining; // the final drain at stop is running
    private long _channelFullWaits;
    private long _channelFullLoggedAt = long.MinValue / 2;

    public InotifyWatcher(WatcherOptions options)
        : this(options, InotifyInstance.Open)
    {
    }

    /// <param name="options">What to watch.</param>
    /// <param name="openInotify">Opens the inotify instance (at <see cref="StartAsync"/>).</param>
    internal InotifyWatcher(WatcherOptions options, Func<IInotify> openInotify)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Root);
        if (!Path.IsPathFullyQualified(options.Root))
        {
            throw new ArgumentException($"The watched root must be an absolute path: '{options.Root}'.", nameof(options));
        }

        _options = options;
        _openInotify = openInotify;
        _root = options.Root.Length > 1 ? options.Root.TrimEnd('/') : options.Root;
        _log = options.Logger.ForContext<InotifyWatcher>();
    }

    /// <inheritdoc />
    public int WatchCount => _closed ? 0 : Volatile.Read(ref _tree)?.WatchCount ?? 0;

    /// <inheritdoc />
    public Task Completion => _completion.Task;

    /// <inheritdoc />
    public async Task<int> StartAsync(ChannelWriter<FsChange> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _startCalled, 1) != 0)
        {
            throw new InvalidOperationException("The watcher was already started.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        _output = output;
        _inotify = _openInotify();
        _openWrites = new OpenWrites(_options.TimeProvider, s_modifySettle, _options.OpenWriteInterval);
        var tree = new WatchTree(_inotify, _root, _options.Filter, path => Emit(new FsChange(FsChangeKind.Rescan, path, IsDirectory: true)), _log, _stopping.Token);
        _translator = new EventTranslator(tree, _openWrites, _options.Filter, Emit, _root, _log);
        Volatile.Write(ref _tree, tree);

        // The walk runs on the reader thread too, so every map is touched by one thread only.
        var thread = new Thread(() => Run(cancellationToken)) { IsBackground = true, Name = ThreadName };
        Volatile.Write(ref _thread, thread);
        thread.Start();
        return await _started.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        Thread? thread = Volatile.Read(ref _thread);
        if (thread is not null)
        {
            _inotify?.Wake();
            await _readerExited.Task;
            thread.Join(); // already past its last instruction; makes the ownership hand-back explicit
        }
        else
        {
            _completion.TrySetResult();
        }

        _inotify?.Dispose();
        _stopping.Dispose();
    }

    private void Run(CancellationToken startToken)
    {
        Exception? failure = null;
        try
        {
            int count;
            try
            {
                count = InitialWalk(startToken);
            }
            catch (Exception ex)
            {
                failure = ex;
                if (ex is OperationCanceledException)
                {
                    _started.TrySetCanceled(startToken.IsCancellationRequested ? startToken : _stopping.Token);
                }
                else
                {
                    _started.TrySetException(ex);
                }

                return;
            }

            _started.TrySetResult(count);
            ReadLoop();
            failure = _translator!.Fatal;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposal interrupted a blocked write into a full channel.
        }
        catch (ChannelClosedException)
        {
            _log.Information("The change channel for {Root} was closed; the watcher stops", _root);
        }
        catch (Exception ex)
        {
            _log.Error(ex, "The inotify reader for {Root} failed", _root);
            failure = ex;
        }
        finally
        {
            // Closing the instance drops every watch at once.
            _closed = true;
            _inotify!.Dispose();
            if (failure is null)
            {
                _completion.TrySetResult();
            }
            else if (failure is OperationCanceledException canceled)
            {
                _completion.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                _completion.TrySetException(failure);
            }

            _readerExited.TrySetResult();
        }
    }

    private int InitialWalk(CancellationToken startToken)
    {
        long started = Stopwatch.GetTimestamp();

        // Nothing is emitted during this walk: the initial sync, requested after it, covers everything.
        if (_tree!.WatchAll(startToken) != WatchOutcome.Watched)
        {
            throw new DirectoryNotFoundException($"The directory to watch does not exist or is not a directory: '{_root}'.");
        }

        _log.Information(
            "Watching {Count} directories under {Root} (set up in {Elapsed:0} ms)",
            _tree.WatchCount,
            _root,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return _tree.WatchCount;
    }

    private void ReadLoop()
    {
        EventTranslator translator = _translator!;
        while (translator.Fatal is null)
        {
            if (WaitForInput(_openWrites!.MillisecondsUntilNextDue()) == InotifyReadiness.Stopping)
            {
                DrainBeforeStop();
                return;
            }

            ProcessInput();
            translator.ReportSettledWrites();
            while (translator.HasPendingMove && translator.Fatal is null)
            {
                // The MOVED_FROM ended the read: its MOVED_TO is usually microseconds behind.
                InotifyReadiness readiness = WaitForInput(MovePairingTimeoutMilliseconds);
                if (readiness == InotifyReadiness.Stopping)
                {
                    DrainBeforeStop();
                    return;
                }

                if (readiness == InotifyReadiness.Readable && ProcessInput())
                {
                    continue;
                }

                translator.SettlePendingMove();
            }
        }
    }

    /// <summary>
    /// The stop came (SIGTERM): whatever the kernel queued before it are changes the nodes must still get, since a
    /// clean stop syncs pending changes once more. Read the queue dry without blocking (the descriptor is
    /// non-blocking), settle what is half-known (an unpaired MOVED_FROM, files written but not closed), and hand it
    /// all on before the descriptor is closed (a reader a few milliseconds behind lost those events with it).
    /// </summary>
    private void DrainBeforeStop()
    {
        EventTranslator translator = _translator!;
        _draining = true;
        try
        {
            while (translator.Fatal is null && ProcessInput())
            {
            }

            translator.SettlePendingMove();
            _openWrites!.MakeAllDue();
            translator.ReportSettledWrites();
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            _log.Warning("Stopped watching {Root} before every last change could be handed on ({Error}); the next start's initial sync covers them", _root, ex.Message);
        }
    }

    /// <summary>Reads what the kernel has and handles it. False when there was nothing to read.</summary>
    private bool ProcessInput()
    {
        int length = _inotify!.Read(_buffer);
        if (length == 0)
        {
            return false;
        }

        EventTranslator translator = _translator!;
        try
        {
            foreach (InotifyEvent e in new InotifyEventReader(_buffer.AsSpan(0, length)))
            {
                translator.Handle(e);
                if (translator.Fatal is not null)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ChannelClosedException))
        {
            // A bug must not leave the maps half-updated and the remote silently stale: start over as after an overflow.
            _log.Error(ex, "Unexpected error while handling inotify events for {Root}; re-scanning and requesting a full sync", _root);
            translator.Resynchronize();
        }

        return true;
    }

    private InotifyReadiness WaitForInput(int timeoutMilliseconds)
    {
        InotifyReadiness readiness = _inotify!.Wait(timeoutMilliseconds);
        return _stopping.IsCancellationRequested ? InotifyReadiness.Stopping : readiness;
    }

    private void Emit(FsChange change)
    {
        ChannelWriter<FsChange> output = _output!;
        if (!output.TryWrite(change))
        {
            // The channel is full: block this dedicated thread on purpose. The kernel queue buffers behind us and its
            // overflow is handled; disposal cancels the wait.
            _channelFullWaits++;
            long now = Environment.TickCount64;
            if (now - _channelFullLoggedAt >= ChannelFullLogIntervalMilliseconds)
            {
                _channelFullLoggedAt = now;
                _log.Debug(
                    "The change channel for {Root} is full: the watcher waits for the nodes to take changes while the kernel queue buffers ({Waits} waits so far)",
                    _root,
                    _channelFullWaits);
            }

            // While draining at stop the dispatcher is still reading (the pipeline completes the channel only after the
            // watcher is disposed), so wait for room — bounded, in case an owner disposes us without a reader.
            using var drainLimit = _draining ? new CancellationTokenSource(DrainWriteTimeoutMilliseconds) : null;
            output.WriteAsync(change, drainLimit?.Token ?? _stopping.Token).AsTask().GetAwaiter().GetResult();
        }
    }
}
