using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading.Channels;
using Serilog;
using static Inosync.Interop.NotifyEvents;

namespace Inosync.Watching;

// Implementation notes
//
// Ownership, locks:
//   One dedicated thread (the reader) owns all mutable state: the watches, the wd→directory and path→directory maps,
//   the held IN_MOVED_FROM. It also performs the initial walk, so there are no locks and no lock order. Other threads
//   only read WatchCount (volatile) and ask the reader to stop (cancel _stopping, then write the eventfd it polls).
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
//   unreported write. A long write is thus synced at its close, when it pauses, and at least that often meanwhile.
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
[SupportedOSPlatform("linux")]
public sealed class InotifyWatcher : IChangeWatcher
{
    private const Interop.NotifyEvents WatchMask =
        IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
        IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_ONLYDIR;

    private const Interop.NotifyEvents SelfEvents = IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED;

    // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
    private const int EventHeaderSize = 16;

    // A full path of up to this many UTF-8 bytes is built on the stack (PATH_MAX is 4096); a longer one, on the heap.
    private const int StackPathBytes = 1024;

    // Room for thousands of events per read(2); a single event needs at most 16 + NAME_MAX + 1 bytes.
    private const int BufferSize = 128 * 1024;

    // How long a MOVED_FROM that ends a read waits for its MOVED_TO (dotnet/runtime uses 2 ms).
    private const int MovePairingTimeoutMilliseconds = 5;

    // How long a file written without a close must stay unwritten before it is reported (see the notes at the top).
    private const int ModifySettleMilliseconds = 1000;

    private const int StallCheckMilliseconds = 20;

    // How long the final drain at stop waits for room in a full channel before giving up (and saying so).
    private const int DrainWriteTimeoutMilliseconds = 10_000;

    private const long ProgressIntervalMilliseconds = 5000;

    private const string ThreadName = "inosync-inotify";

    private readonly WatcherOptions _options;
    private readonly string _root;
    private readonly byte[] _rootBytes;
    private readonly ILogger _log;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly Dictionary<int, WatchedDirectory> _byWd = [];
    private readonly Dictionary<string, WatchedDirectory> _byPath = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warnedUnwatchable = new(StringComparer.Ordinal);

    // Reader-thread state: files with an IN_MODIFY and no IN_CLOSE_WRITE since, when they count as settled (Due), and
    // when they are reported even if the writes go on (Deadline: first unreported write + open_write_interval).
    private readonly Dictionary<(WatchedDirectory Directory, string Name), (long Due, long Deadline)> _writtenOpen = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _draining; // reader thread only: the final drain at stop is running
    private readonly TaskCompletionSource<int> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _readerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SafeDescriptorHandle? _inotify;
    private SafeDescriptorHandle? _wake;
    private Thread? _thread;
    private ChannelWriter<FsChange>? _output;
    private int _watchCount;
    private int _startCalled;
    private int _disposed;

    // Reader-thread state.
    private WatchedDirectory? _rootDirectory;
    private PendingMove? _pendingMove;
    private Exception? _fatal;
    private int _generation;
    private bool _limitWarned;
    private long _nextProgressAt;
    private long _channelFullWaits;
    private long _channelFullLoggedAt = long.MinValue / 2;
    private bool _walkingAtStartup;

    public InotifyWatcher(WatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Root);
        if (!Path.IsPathFullyQualified(options.Root))
        {
            throw new ArgumentException($"The watched root must be an absolute path: '{options.Root}'.", nameof(options));
        }

        _options = options;
        _root = options.Root.Length > 1 ? options.Root.TrimEnd('/') : options.Root;
        _rootBytes = FileNameEncoding.GetBytes(_root);
        _log = options.Logger.ForContext<InotifyWatcher>();
    }

    private enum AddOutcome
    {
        Watched,
        Vanished,
        Unwatchable,
    }

    private enum WalkMode
    {
        /// <summary>Inside StartAsync: nothing is emitted (the initial sync covers the tree); ENOSPC is fatal.</summary>
        Startup,

        /// <summary>A directory appeared while running: failures become Rescan.</summary>
        Runtime,
    }

    private enum Readiness
    {
        Readable,
        TimedOut,
        Stopping,
    }

    /// <inheritdoc />
    public int WatchCount => Volatile.Read(ref _watchCount);

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
        _wake = CreateWakeDescriptor();
        _inotify = CreateInotifyDescriptor();

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
            Wake();
            await _readerExited.Task;
            thread.Join(); // already past its last instruction; makes the ownership hand-back explicit
        }
        else
        {
            _completion.TrySetResult();
        }

        _inotify?.Dispose();
        _wake?.Dispose();
        _stopping.Dispose();
    }

    private static SafeDescriptorHandle CreateWakeDescriptor()
    {
        SafeDescriptorHandle handle = Interop.Libc.EventFd(0, Interop.Libc.EFD_CLOEXEC | Interop.Libc.EFD_NONBLOCK);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException($"eventfd failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return handle;
    }

    private static SafeDescriptorHandle CreateInotifyDescriptor()
    {
        SafeDescriptorHandle handle = Interop.Libc.InotifyInit1(Interop.Libc.IN_CLOEXEC | Interop.Libc.IN_NONBLOCK);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno == Interop.Errno.EMFILE)
            {
                throw new WatchLimitException(InotifyLimits.InstanceLimitMessage());
            }

            throw new IOException($"inotify_init1 failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return handle;
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
            failure = _fatal;
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
            _inotify?.Dispose();
            Volatile.Write(ref _watchCount, 0);
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
        _generation = 1;
        _walkingAtStartup = true; // nothing is emitted before the initial sync is requested: it covers everything
        AddOutcome outcome;
        try
        {
            outcome = WatchTree("", WalkMode.Startup, startToken, out _);
        }
        finally
        {
            _walkingAtStartup = false;
        }

        if (outcome != AddOutcome.Watched)
        {
            throw new DirectoryNotFoundException($"The directory to watch does not exist or is not a directory: '{_root}'.");
        }

        _log.Information(
            "Watching {Count} directories under {Root} (set up in {Elapsed:0} ms)",
            _byWd.Count,
            _root,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return _byWd.Count;
    }

    private void ReadLoop()
    {
        while (_fatal is null)
        {
            if (_options.StallReader is { } stall)
            {
                // Test mode only: leave the kernel queue alone so that it overflows for real.
                while (stall())
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        DrainBeforeStop();
                        return;
                    }

                    Thread.Sleep(StallCheckMilliseconds);
                }
            }

            if (WaitForInput(UntilNextSettled()) == Readiness.Stopping)
            {
                DrainBeforeStop();
                return;
            }

            ProcessInput();
            ReportSettledWrites();
            while (_pendingMove is not null && _fatal is null)
            {
                // The MOVED_FROM ended the read: its MOVED_TO is usually microseconds behind.
                Readiness readiness = WaitForInput(MovePairingTimeoutMilliseconds);
                if (readiness == Readiness.Stopping)
                {
                    DrainBeforeStop();
                    return;
                }

                if (readiness == Readiness.Readable && ProcessInput())
                {
                    continue;
                }

                PendingMove from = _pendingMove;
                _pendingMove = null;
                HandleMovedOut(from);
                EmitUnwatchedAgain(from.Directory, from.Name);
            }
        }
    }

    /// <summary>
    /// The stop came (SIGTERM): whatever the kernel queued before it are changes the nodes must still get, since a
    /// clean stop syncs pending changes once more. Read the queue dry without blocking (the descriptor is
    /// non-blocking), settle what is half-known (an unpaired MOVED_FROM, files written but not closed), and hand it
    /// all on before the descriptor is closed. Found by the SIGTERM test on a loaded machine: the reader was a few
    /// milliseconds behind, and those events died with the descriptor.
    /// </summary>
    private void DrainBeforeStop()
    {
        _draining = true;
        try
        {
            while (_fatal is null && ProcessInput())
            {
            }

            if (_pendingMove is { } from && _fatal is null)
            {
                _pendingMove = null;
                HandleMovedOut(from);
                EmitUnwatchedAgain(from.Directory, from.Name);
            }

            foreach (var key in _writtenOpen.Keys.ToArray())
            {
                _writtenOpen[key] = (0, 0); // due now
            }

            ReportSettledWrites();
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            _log.Warning("Stopped watching {Root} before every last change could be handed on ({Error}); the next start's initial sync covers them", _root, ex.Message);
        }
    }

    /// <summary>Reads what the kernel has and handles it. False when there was nothing to read.</summary>
    private bool ProcessInput()
    {
        int length = ReadInput();
        if (length == 0)
        {
            return false;
        }

        try
        {
            ProcessBuffer(length);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ChannelClosedException))
        {
            // A bug must not leave the maps half-updated and the remote silently stale: start over as after an overflow.
            _log.Error(ex, "Unexpected error while handling inotify events for {Root}; re-scanning and requesting a full sync", _root);
            _pendingMove = null;
            Resynchronize();
        }

        return true;
    }

    private void ProcessBuffer(int length)
    {
        int position = 0;
        while (position + EventHeaderSize <= length && _fatal is null)
        {
            ReadOnlySpan<byte> header = _buffer.AsSpan(position, EventHeaderSize);
            int wd = MemoryMarshal.Read<int>(header);
            var mask = (Interop.NotifyEvents)MemoryMarshal.Read<uint>(header[4..]);
            uint cookie = MemoryMarshal.Read<uint>(header[8..]);
            int nameLength = (int)MemoryMarshal.Read<uint>(header[12..]);

            // The name is NUL-padded to an alignment boundary.
            ReadOnlySpan<byte> name = _buffer.AsSpan(position + EventHeaderSize, nameLength);
            int end = name.IndexOf((byte)0);
            if (end >= 0)
            {
                name = name[..end];
            }

            position += EventHeaderSize + nameLength;
            HandleEvent(wd, mask, cookie, name);
        }
    }

    private void HandleEvent(int wd, Interop.NotifyEvents mask, uint cookie, ReadOnlySpan<byte> rawName)
    {
        string name = FileNameEncoding.GetString(rawName);
        bool isDirectory = (mask & IN_ISDIR) != 0;

        if (_pendingMove is { } from)
        {
            _pendingMove = null;
            if ((mask & IN_MOVED_TO) != 0 && cookie == from.Cookie && _byWd.TryGetValue(wd, out WatchedDirectory? to))
            {
                HandleRename(from, to, name);
                return;
            }

            HandleMovedOut(from);
            EmitUnwatchedAgain(from.Directory, from.Name);
        }

        if ((mask & IN_Q_OVERFLOW) != 0)
        {
            _log.Warning(
                "The inotify event queue overflowed (fs.inotify.max_queued_events is {MaxQueuedEvents}): changes under {Root} were lost; re-scanning and requesting a full sync",
                InotifyLimits.Read(InotifyLimits.MaxQueuedEvents),
                _root);
            Resynchronize();
            return;
        }

        if (!_byWd.TryGetValue(wd, out WatchedDirectory? directory))
        {
            return; // a watch we already dropped; its last events trickle in
        }

        if ((mask & SelfEvents) != 0)
        {
            HandleSelfEvent(directory, mask);
            return;
        }

        if ((mask & IN_MOVED_FROM) != 0)
        {
            // Held until the next event says whether it is half of a rename (see ReadLoop for the end of a read).
            directory.Missed?.Remove(name);
            _pendingMove = new PendingMove(directory, name, isDirectory, cookie);
            return;
        }

        if ((mask & IN_MODIFY) != 0 && !isDirectory)
        {
            // Marked only: its IN_CLOSE_WRITE, or the settle time, reports it. No rescan of unwatched siblings either:
            // a write is not a change of the directory, and a busy writer sends thousands.
            // A writer that never pauses would never settle: the deadline bounds how stale the node's copy gets.
            long now = Environment.TickCount64;
            long deadline = _writtenOpen.TryGetValue((directory, name), out var marked)
                ? marked.Deadline
                : now + (long)_options.OpenWriteInterval.TotalMilliseconds;
            _writtenOpen[(directory, name)] = (Math.Min(now + ModifySettleMilliseconds, deadline), deadline);
            return;
        }

        if ((mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_TO | IN_CREATE)) != 0)
        {
            _writtenOpen.Remove((directory, name));
        }

        if ((mask & (IN_DELETE | IN_MOVED_TO | IN_CREATE)) != 0)
        {
            // The name was deleted or is something new now: a watch missed under it is settled (an arrival re-adds it
            // if its own watch fails again).
            directory.Missed?.Remove(name);
        }

        string path = Join(directory.Path, name);
        if (!_options.IsExcluded(path, isDirectory))
        {
            if ((mask & (IN_CREATE | IN_MOVED_TO)) != 0)
            {
                // An unpaired IN_MOVED_TO: moved in from outside the tree (or from an excluded directory).
                HandleArrival(path, isDirectory);
            }
            else if ((mask & IN_DELETE) != 0)
            {
                if (isDirectory)
                {
                    ForgetChild(directory, name);
                }

                Emit(new FsChange(FsChangeKind.Deleted, path, isDirectory));
            }
            else if ((mask & (IN_CLOSE_WRITE | IN_ATTRIB)) != 0)
            {
                // A subdirectory's own IN_ATTRIB duplicates the one its parent reports with a name; only the root has
                // no parent watch.
                if (name.Length > 0 || directory == _rootDirectory)
                {
                    Emit(new FsChange(FsChangeKind.Modified, path, isDirectory || name.Length == 0));
                }
            }
        }
        else if (isDirectory && (mask & (IN_CREATE | IN_MOVED_TO)) != 0)
        {
            MarkExcluded(directory, name);
        }
        else if (isDirectory && (mask & IN_DELETE) != 0)
        {
            directory.ExcludedChildren?.Remove(name);
        }

        EmitUnwatchedAgain(directory, name);
    }

    private void HandleSelfEvent(WatchedDirectory directory, Interop.NotifyEvents mask)
    {
        if (directory == _rootDirectory)
        {
            // The daemon must not keep running on nothing.
            Exception error = (mask & IN_MOVE_SELF) != 0
                ? new IOException($"The watched directory '{_root}' was moved away.")
                : new DirectoryNotFoundException($"The watched directory '{_root}' was deleted or unmounted.");
            _log.Error("The watched directory {Root} is gone ({Mask}); the watcher stops", _root, mask);
            _fatal = error;
            return;
        }

        if ((mask & IN_UNMOUNT) != 0)
        {
            // A file system mounted inside the tree went away: the directory underneath is visible again.
            string path = directory.Path;
            RemoveSubtree(directory);
            if (WatchTree(path, WalkMode.Runtime, CancellationToken.None, out _) == AddOutcome.Watched)
            {
                Emit(new FsChange(FsChangeKind.Rescan, path, IsDirectory: true));
            }
        }
        else if ((mask & IN_IGNORED) != 0)
        {
            // The kernel dropped the watch (directory deleted). Its parent's IN_DELETE reports the change.
            RemoveSubtree(directory, alreadyRemovedWd: directory.Wd);
        }

        // IN_DELETE_SELF / IN_MOVE_SELF of a subdirectory: its parent's IN_DELETE / IN_MOVED_* say what happened.
    }

    private void HandleRename(PendingMove from, WatchedDirectory to, string toName)
    {
        bool isDirectory = from.IsDirectory;
        string fromPath = Join(from.Directory.Path, from.Name);
        string toPath = Join(to.Path, toName);
        bool fromInside = !_options.IsExcluded(fromPath, isDirectory);
        bool toInside = !_options.IsExcluded(toPath, isDirectory);

        if (fromInside && toInside)
        {
            if (isDirectory)
            {
                from.Directory.Unwatched?.Remove(from.Name);
                to.Unwatched?.Remove(toName);
                if (from.Directory.Children is { } children && children.TryGetValue(from.Name, out WatchedDirectory? moved))
                {
                    MoveDirectory(moved, to, toName);
                }
                else
                {
                    // The source was not watched (it vanished before we could, or could not be): watch it now, before
                    // the event goes out, so the recursive sync of the destination covers the gap.
                    WatchTree(toPath, WalkMode.Runtime, CancellationToken.None, out _);
                }
            }

            Emit(new FsChange(FsChangeKind.Renamed, toPath, isDirectory, fromPath));
        }
        else
        {
            // Half of the rename is outside what we can report: a departure and/or an arrival.
            HandleMovedOut(from);
            if (toInside)
            {
                HandleArrival(toPath, isDirectory);
            }
            else if (isDirectory)
            {
                MarkExcluded(to, toName);
            }
        }

        EmitUnwatchedAgain(from.Directory, from.Name);
        if (to != from.Directory)
        {
            EmitUnwatchedAgain(to, toName);
        }
    }

    /// <summary>The entry left the tree, or became something we do not report.</summary>
    private void HandleMovedOut(PendingMove from)
    {
        string path = Join(from.Directory.Path, from.Name);
        if (_options.IsExcluded(path, from.IsDirectory))
        {
            from.Directory.ExcludedChildren?.Remove(from.Name);
            return;
        }

        if (from.IsDirectory)
        {
            ForgetChild(from.Directory, from.Name);
        }

        Emit(new FsChange(FsChangeKind.Deleted, path, from.IsDirectory));
    }

    /// <summary>Created, or moved in from outside the tree.</summary>
    private void HandleArrival(string path, bool isDirectory)
    {
        if (!isDirectory)
        {
            Emit(new FsChange(FsChangeKind.Modified, path));
            return;
        }

        // Watch first, announce second (see the notes at the top). If it vanished already, its IN_DELETE or
        // IN_MOVED_FROM follows; if it cannot be watched, AddWatch has emitted Rescan.
        if (WatchTree(path, WalkMode.Runtime, CancellationToken.None, out _) == AddOutcome.Watched)
        {
            Emit(new FsChange(FsChangeKind.DirectoryCreated, path, IsDirectory: true));
        }
    }

    /// <summary>The poll timeout: until the earliest file written without a close settles (infinite when none).</summary>
    private int UntilNextSettled()
    {
        if (_writtenOpen.Count == 0)
        {
            return Timeout.Infinite;
        }

        long earliest = long.MaxValue;
        foreach ((long due, _) in _writtenOpen.Values)
        {
            earliest = Math.Min(earliest, due);
        }

        return (int)Math.Clamp(earliest - Environment.TickCount64, 0, ModifySettleMilliseconds);
    }

    /// <summary>Reports the files written without a close that saw no write for the settle time, or reached their deadline.</summary>
    private void ReportSettledWrites()
    {
        if (_writtenOpen.Count == 0 || _fatal is not null)
        {
            return;
        }

        long now = Environment.TickCount64;
        foreach (var ((directory, name), (due, _)) in _writtenOpen.ToArray())
        {
            if (due > now)
            {
                continue;
            }

            _writtenOpen.Remove((directory, name));

            // The directory may have been renamed meanwhile (its path follows) or dropped (its removal was reported).
            string path = Join(directory.Path, name);
            if (_byWd.TryGetValue(directory.Wd, out WatchedDirectory? current) && current == directory && !_options.IsExcluded(path, false))
            {
                Emit(new FsChange(FsChangeKind.Modified, path));
            }
        }
    }

    /// <summary>Rescans and requests a full sync: after IN_Q_OVERFLOW, or when our view can no longer be trusted.</summary>
    private void Resynchronize()
    {
        _writtenOpen.Clear(); // the full sync covers them; later writes mark them again

        // Mark and sweep: whatever the walk does not reach any more is stale.
        _generation++;
        foreach (WatchedDirectory directory in _byWd.Values)
        {
            directory.Unwatched = null; // re-derived by the walk
            directory.Missed = null;
        }

        WatchedDirectory? previousRoot = _rootDirectory;
        AddOutcome outcome = WatchTree("", WalkMode.Runtime, CancellationToken.None, out WatchedDirectory? root);
        if (outcome != AddOutcome.Watched || root != previousRoot)
        {
            _log.Error("The watched directory {Root} is gone or was replaced; the watcher stops", _root);
            _fatal = new DirectoryNotFoundException($"The watched directory '{_root}' is gone or was replaced.");
            return;
        }

        var stale = new List<WatchedDirectory>();
        foreach (WatchedDirectory directory in _byWd.Values)
        {
            if (directory.Generation != _generation)
            {
                stale.Add(directory);
            }
        }

        foreach (WatchedDirectory directory in stale)
        {
            if (_byWd.TryGetValue(directory.Wd, out WatchedDirectory? current) && current == directory)
            {
                RemoveSubtree(directory);
            }
        }

        Emit(FsChange.Overflow);
    }

    /// <summary>Watches <paramref name="path"/> and every directory below it (except excluded ones), without following
    /// symlinks. Returns what happened to <paramref name="path"/> itself.</summary>
    private AddOutcome WatchTree(string path, WalkMode mode, CancellationToken cancellationToken, out WatchedDirectory? top)
    {
        _nextProgressAt = Environment.TickCount64 + ProgressIntervalMilliseconds;
        var pending = new Stack<string>();
        pending.Push(path);
        AddOutcome topOutcome = AddOutcome.Vanished;
        top = null;
        bool first = true;
        while (pending.Count > 0)
        {
            if (cancellationToken.IsCancellationRequested || _stopping.IsCancellationRequested)
            {
                throw new OperationCanceledException("The watcher was stopped while watching the tree.");
            }

            string current = pending.Pop();
            AddOutcome outcome = AddWatch(current, mode, out WatchedDirectory? added);
            if (first)
            {
                topOutcome = outcome;
                top = added;
                first = false;
            }

            if (outcome != AddOutcome.Watched)
            {
                continue;
            }

            ReportProgress();

            // The watch is in place before we list, so an entry made meanwhile is either listed or reported.
            added!.ExcludedChildren = null;
            foreach (string child in ChildDirectories(current))
            {
                string childPath = Join(current, child);
                if (_options.IsExcluded(childPath, true))
                {
                    MarkExcluded(added, child);
                }
                else
                {
                    pending.Push(childPath);
                }
            }
        }

        return topOutcome;
    }

    private AddOutcome AddWatch(string path, WalkMode mode, out WatchedDirectory? directory)
    {
        directory = null;
        bool isRoot = path.Length == 0;

        // The root may be a symlink the administrator chose; below it, symlinks are entries, not directories.
        Interop.NotifyEvents mask = isRoot ? WatchMask & ~IN_DONT_FOLLOW : WatchMask;
        int wd = AddKernelWatch(path, mask);
        int errno = wd < 0 ? Marshal.GetLastPInvokeError() : 0;

        if (wd >= 0 && _options.MaxWatchesForTesting is int max && !_byWd.ContainsKey(wd) && _byWd.Count >= max)
        {
            Interop.Libc.InotifyRmWatch(_inotify!, wd);
            wd = -1;
            errno = Interop.Errno.ENOSPC;
        }

        string name = NameOf(path);
        WatchedDirectory? parent = null;
        if (!isRoot && !_byPath.TryGetValue(ParentOf(path), out parent))
        {
            // Only parents that are watched get their children walked; be defensive all the same.
            if (wd >= 0 && !_byWd.ContainsKey(wd))
            {
                Interop.Libc.InotifyRmWatch(_inotify!, wd);
            }

            return AddOutcome.Vanished;
        }

        if (wd < 0)
        {
            return HandleAddWatchFailure(path, name, parent, errno, mode);
        }

        if (_byWd.TryGetValue(wd, out WatchedDirectory? existing))
        {
            if (existing.Path != path && !isRoot && existing != _rootDirectory)
            {
                // The directory moved before we handled the move: follow it.
                MoveDirectory(existing, parent!, name);
            }

            existing.Generation = _generation;
            parent?.Unwatched?.Remove(name);
            parent?.Missed?.Remove(name);
            directory = existing;
            return AddOutcome.Watched;
        }

        if (_byPath.TryGetValue(path, out WatchedDirectory? replaced))
        {
            // Another directory used to live at this path; its removal is still in the queue.
            RemoveSubtree(replaced);
        }

        directory = new WatchedDirectory(wd, path, name, parent) { Generation = _generation };
        _byWd[wd] = directory;
        _byPath[path] = directory;
        if (parent is null)
        {
            _rootDirectory = directory;
        }
        else
        {
            (parent.Children ??= new(StringComparer.Ordinal))[name] = directory;
            parent.Unwatched?.Remove(name);
            parent.Missed?.Remove(name);
        }

        UpdateWatchCount();
        return AddOutcome.Watched;
    }

    private AddOutcome HandleAddWatchFailure(string path, string name, WatchedDirectory? parent, int errno, WalkMode mode)
    {
        if (errno is Interop.Errno.ENOENT or Interop.Errno.ENOTDIR)
        {
            // Gone, replaced by a file, or a symlink (IN_DONT_FOLLOW | IN_ONLYDIR): a change, not an error. Or our path is
            // stale because an ancestor moved: then only that move's events follow, and they retry it.
            if (parent is not null)
            {
                (parent.Missed ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }

            return AddOutcome.Vanished;
        }

        if (parent is null)
        {
            // The root itself: nothing to fall back on.
            throw errno == Interop.Errno.ENOSPC
                ? new WatchLimitException(InotifyLimits.WatchLimitMessage(_root, WatchedTree.CountDirectories(_root, _options.IsExcluded)))
                : new IOException($"Cannot watch '{_root}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        if (errno == Interop.Errno.ENOSPC)
        {
            if (mode == WalkMode.Startup)
            {
                throw new WatchLimitException(InotifyLimits.WatchLimitMessage(_root, WatchedTree.CountDirectories(_root, _options.IsExcluded)));
            }

            if (!_limitWarned)
            {
                _limitWarned = true;
                long? limit = InotifyLimits.Read(InotifyLimits.MaxUserWatches);
                _log.Warning(
                    "The inotify watch limit is reached (fs.inotify.max_user_watches is {Limit}): {Path} under {Root} is not watched and is rescanned on every change next to it. Raise the limit: sudo sysctl fs.inotify.max_user_watches={Suggested}",
                    limit,
                    path,
                    _root,
                    Math.Max(2 * (limit ?? 8192), 524288));
            }
            else
            {
                _log.Debug("Watch limit: {Path} under {Root} is not watched", path, _root);
            }
        }
        else
        {
            WarnUnwatchable(path, Marshal.GetPInvokeErrorMessage(errno));
        }

        MarkUnwatched(parent, name);
        if (mode == WalkMode.Runtime)
        {
            Emit(new FsChange(FsChangeKind.Rescan, path, IsDirectory: true));
        }

        return AddOutcome.Unwatchable;
    }

    /// <summary>Re-homes a watched directory and everything below it under a new parent and name: the wds stay.</summary>
    private void MoveDirectory(WatchedDirectory directory, WatchedDirectory newParent, string newName)
    {
        if (newParent.Children is { } siblings && siblings.TryGetValue(newName, out WatchedDirectory? replaced) && replaced != directory)
        {
            // rename(2) over an empty directory replaced it.
            RemoveSubtree(replaced);
        }

        DetachFromParent(directory);
        directory.Parent = newParent;
        directory.Name = newName;
        (newParent.Children ??= new(StringComparer.Ordinal))[newName] = directory;

        List<WatchedDirectory> subtree = Subtree(directory);
        foreach (WatchedDirectory moved in subtree)
        {
            if (_byPath.TryGetValue(moved.Path, out WatchedDirectory? current) && current == moved)
            {
                _byPath.Remove(moved.Path);
            }
        }

        // Subtree lists parents before children, so each parent's new path is ready when its children need it.
        foreach (WatchedDirectory moved in subtree)
        {
            moved.Path = Join(moved.Parent!.Path, moved.Name);
            if (_byPath.TryGetValue(moved.Path, out WatchedDirectory? occupant) && occupant != moved)
            {
                RemoveSubtree(occupant);
            }

            _byPath[moved.Path] = moved;
        }

        // Watches that failed on a stale path (see "Stale paths" at the top) get their chance under the new one.
        RetryMissed(subtree);

        // Exclusions may depend on the path: what is excluded under the new path stops being watched, and what was
        // excluded only under the old path starts being watched. No event: the caller's event for the moved directory
        // (emitted after this) makes the downstream sync recursive.
        foreach (WatchedDirectory moved in subtree)
        {
            if (!_byPath.TryGetValue(moved.Path, out WatchedDirectory? current) || current != moved)
            {
                continue; // removed with an excluded ancestor
            }

            if (moved != directory && _options.IsExcluded(moved.Path, true))
            {
                MarkExcluded(moved.Parent!, moved.Name);
                RemoveSubtree(moved);
                continue;
            }

            if (moved.ExcludedChildren is { Count: > 0 } excluded)
            {
                foreach (string name in excluded.ToArray())
                {
                    string childPath = Join(moved.Path, name);
                    if (!_options.IsExcluded(childPath, true))
                    {
                        excluded.Remove(name);
                        WatchTree(childPath, WalkMode.Runtime, CancellationToken.None, out _);
                    }
                }
            }
        }
    }

    private void RetryMissed(List<WatchedDirectory> subtree)
    {
        foreach (WatchedDirectory directory in subtree)
        {
            if (directory.Missed is not { Count: > 0 } missed
                || !_byWd.TryGetValue(directory.Wd, out WatchedDirectory? current) || current != directory)
            {
                continue;
            }

            foreach (string name in missed.ToArray())
            {
                missed.Remove(name);
                string path = Join(directory.Path, name);
                if (!_options.IsExcluded(path, true)
                    && WatchTree(path, WalkMode.Runtime, CancellationToken.None, out _) == AddOutcome.Watched && !_walkingAtStartup)
                {
                    // Watched now, then announced: what happened inside it so far is in this recursive sync.
                    Emit(new FsChange(FsChangeKind.Rescan, path, IsDirectory: true));
                }
            }
        }
    }

    private void ForgetChild(WatchedDirectory parent, string name)
    {
        parent.Unwatched?.Remove(name);
        parent.Missed?.Remove(name);
        if (parent.Children is { } children && children.TryGetValue(name, out WatchedDirectory? child))
        {
            RemoveSubtree(child);
        }
    }

    /// <summary>Drops a directory and everything below it from the maps and the kernel (errors ignored: the kernel may
    /// have dropped them already).</summary>
    private void RemoveSubtree(WatchedDirectory directory, int alreadyRemovedWd = -1)
    {
        DetachFromParent(directory);
        foreach (WatchedDirectory removed in Subtree(directory))
        {
            if (_byWd.TryGetValue(removed.Wd, out WatchedDirectory? byWd) && byWd == removed)
            {
                _byWd.Remove(removed.Wd);
                if (removed.Wd != alreadyRemovedWd)
                {
                    Interop.Libc.InotifyRmWatch(_inotify!, removed.Wd);
                }
            }

            if (_byPath.TryGetValue(removed.Path, out WatchedDirectory? byPath) && byPath == removed)
            {
                _byPath.Remove(removed.Path);
            }
        }

        UpdateWatchCount();
    }

    private static void DetachFromParent(WatchedDirectory directory)
    {
        if (directory.Parent?.Children is { } siblings &&
            siblings.TryGetValue(directory.Name, out WatchedDirectory? current) && current == directory)
        {
            siblings.Remove(directory.Name);
        }
    }

    private static List<WatchedDirectory> Subtree(WatchedDirectory top)
    {
        var result = new List<WatchedDirectory> { top };
        for (int i = 0; i < result.Count; i++)
        {
            if (result[i].Children is { } children)
            {
                result.AddRange(children.Values);
            }
        }

        return result;
    }

    private static void MarkExcluded(WatchedDirectory parent, string name) =>
        (parent.ExcludedChildren ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    private static void MarkUnwatched(WatchedDirectory parent, string name) =>
        (parent.Unwatched ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    /// <summary>Something happened in <paramref name="directory"/>: each child we could not watch may have changed too,
    /// so it is rescanned (after one more attempt to watch it, in case watches were freed).</summary>
    private void EmitUnwatchedAgain(WatchedDirectory directory, string? exceptName)
    {
        if (directory.Unwatched is not { Count: > 0 } unwatched || _fatal is not null)
        {
            return;
        }

        foreach (string name in unwatched.ToArray())
        {
            if (name == exceptName)
            {
                continue; // this very event was about it
            }

            string path = Join(directory.Path, name);
            switch (WatchTree(path, WalkMode.Runtime, CancellationToken.None, out _))
            {
                case AddOutcome.Watched:
                    Emit(new FsChange(FsChangeKind.Rescan, path, IsDirectory: true));
                    break;
                case AddOutcome.Vanished:
                    // Its IN_DELETE / IN_MOVED_FROM is on its way and will be reported.
                    unwatched.Remove(name);
                    break;
                default:
                    break; // still unwatchable: HandleAddWatchFailure emitted the Rescan
            }
        }
    }

    private void WarnUnwatchable(string path, string reason)
    {
        if (_warnedUnwatchable.Add(path))
        {
            _log.Warning("Cannot watch {Path} under {Root} ({Reason}); it is rescanned on every change next to it", path, _root, reason);
        }
    }

    /// <summary>The subdirectories of <paramref name="path"/>, names exact (<see cref="FileNameEncoding"/>). d_type
    /// spares a stat per entry; symlinks are entries, not directories. A directory that vanished or cannot be read
    /// lists nothing: its removal is in the queue, or it stays unwatched children-wise.</summary>
    private unsafe List<string> ChildDirectories(string path)
    {
        var names = new List<string>();
        nint handle;
        int capacity = FullPathCapacity(path);
        Span<byte> fullPath = capacity <= StackPathBytes ? stackalloc byte[StackPathBytes] : new byte[capacity];
        WriteFullPath(path, fullPath);
        fixed (byte* bytes = fullPath)
        {
            handle = Interop.Libc.Opendir(bytes);
        }

        if (handle == 0)
        {
            return names;
        }

        try
        {
            nint entry;
            while ((entry = Interop.Libc.Readdir(handle)) != 0)
            {
                byte type = *((byte*)entry + Interop.Libc.DirentTypeOffset);
                if (type is not (Interop.Libc.DT_DIR or Interop.Libc.DT_UNKNOWN))
                {
                    continue; // DT_UNKNOWN (some filesystems): AddWatch tells, as IN_ONLYDIR fails on a non-directory
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + Interop.Libc.DirentNameOffset);
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    names.Add(FileNameEncoding.GetString(name));
                }
            }
        }
        finally
        {
            _ = Interop.Libc.Closedir(handle);
        }

        return names;
    }

    private unsafe int AddKernelWatch(string path, Interop.NotifyEvents mask)
    {
        int capacity = FullPathCapacity(path);
        Span<byte> fullPath = capacity <= StackPathBytes ? stackalloc byte[StackPathBytes] : new byte[capacity];
        WriteFullPath(path, fullPath);
        fixed (byte* bytes = fullPath)
        {
            return Interop.Libc.InotifyAddWatch(_inotify!, bytes, mask);
        }
    }

    // The walk passes every directory's full path to opendir and inotify_add_watch: written into a stack buffer, not
    // allocated twice as a string and twice as bytes (20,000 directories made megabytes of garbage at startup).
    private int FullPathCapacity(string path) => _rootBytes.Length + 2 + (3 * path.Length);

    /// <summary>Writes root + "/" + <paramref name="path"/> (exact bytes, <see cref="FileNameEncoding"/>) and a NUL into
    /// <paramref name="destination"/>, which holds at least <see cref="FullPathCapacity"/> bytes.</summary>
    private void WriteFullPath(string path, Span<byte> destination)
    {
        _rootBytes.CopyTo(destination);
        int length = _rootBytes.Length;
        if (path.Length > 0)
        {
            destination[length++] = (byte)'/';
            length += FileNameEncoding.GetBytes(path, destination[length..]);
        }

        destination[length] = 0;
    }

    private void ReportProgress()
    {
        long now = Environment.TickCount64;
        if (now >= _nextProgressAt)
        {
            _nextProgressAt = now + ProgressIntervalMilliseconds;
            _log.Information("Watching {Count} directories so far under {Root}", _byWd.Count, _root);
        }
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
            if (now - _channelFullLoggedAt >= ProgressIntervalMilliseconds)
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

    private unsafe Readiness WaitForInput(int timeoutMilliseconds)
    {
        bool inotifyAdded = false;
        bool wakeAdded = false;
        try
        {
            _inotify!.DangerousAddRef(ref inotifyAdded);
            _wake!.DangerousAddRef(ref wakeAdded);
            Interop.Libc.PollFd* fds = stackalloc Interop.Libc.PollFd[2];
            fds[0] = new Interop.Libc.PollFd { Fd = _inotify.Descriptor, Events = Interop.Libc.POLLIN };
            fds[1] = new Interop.Libc.PollFd { Fd = _wake.Descriptor, Events = Interop.Libc.POLLIN };
            while (true)
            {
                int ready = Interop.Libc.Poll(fds, 2, timeoutMilliseconds);
                if (ready < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.Errno.EINTR)
                    {
                        continue;
                    }

                    throw new IOException($"poll on the inotify descriptor failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }

                if (fds[1].REvents != 0 || _stopping.IsCancellationRequested)
                {
                    return Readiness.Stopping;
                }

                if (ready == 0)
                {
                    return Readiness.TimedOut;
                }

                if ((fds[0].REvents & (Interop.Libc.POLLERR | Interop.Libc.POLLHUP | Interop.Libc.POLLNVAL)) != 0)
                {
                    throw new IOException($"The inotify descriptor reported an error (revents {fds[0].REvents}).");
                }

                return Readiness.Readable;
            }
        }
        finally
        {
            if (wakeAdded)
            {
                _wake!.DangerousRelease();
            }

            if (inotifyAdded)
            {
                _inotify!.DangerousRelease();
            }
        }
    }

    private unsafe int ReadInput()
    {
        fixed (byte* buffer = _buffer)
        {
            while (true)
            {
                nint read = Interop.Libc.Read(_inotify!, buffer, (nuint)_buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Errno.EINTR)
                {
                    continue;
                }

                if (errno == Interop.Errno.EAGAIN)
                {
                    return 0;
                }

                throw new IOException($"read on the inotify descriptor failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    private unsafe void Wake()
    {
        ulong one = 1;
        try
        {
            Interop.Libc.Write(_wake!, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nothing left to wake.
        }
    }

    private void UpdateWatchCount() => Volatile.Write(ref _watchCount, _byWd.Count);


    private static string Join(string parent, string name) =>
        parent.Length == 0 ? name : name.Length == 0 ? parent : string.Concat(parent, "/", name);

    private static string ParentOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>One watched directory: a node of the tree that serves as the path→wd map's structure.</summary>
    private sealed class WatchedDirectory(int wd, string path, string name, WatchedDirectory? parent)
    {
        public int Wd { get; } = wd;

        public string Path { get; set; } = path;

        public string Name { get; set; } = name;

        public WatchedDirectory? Parent { get; set; } = parent;

        public Dictionary<string, WatchedDirectory>? Children { get; set; }

        /// <summary>Children that are directories we could not watch (watch limit, permissions).</summary>
        public HashSet<string>? Unwatched { get; set; }

        /// <summary>Children whose watch failed because the path we used was stale (see "Stale paths" at the top):
        /// retried when this directory is re-pathed.</summary>
        public HashSet<string>? Missed { get; set; }

        /// <summary>Names of child directories left unwatched because they are excluded: exclusions may depend on the
        /// path, so a rename of an ancestor re-evaluates them.</summary>
        public HashSet<string>? ExcludedChildren { get; set; }

        /// <summary>The re-scan that last reached this directory (mark and sweep after an overflow).</summary>
        public int Generation { get; set; }
    }

    /// <summary>An IN_MOVED_FROM waiting for the event after it.</summary>
    private sealed record PendingMove(WatchedDirectory Directory, string Name, bool IsDirectory, uint Cookie);
}
