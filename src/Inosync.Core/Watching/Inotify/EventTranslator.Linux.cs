using System.Runtime.Versioning;
using Inosync.Filtering;
using Serilog;
using static Inosync.Interop.NotifyEvents;

namespace Inosync.Watching.Inotify;

/// <summary>
/// Turns kernel events into <see cref="FsChange"/> values: masks into verbs, IN_MOVED_FROM/IN_MOVED_TO pairs into
/// renames, IN_MODIFY into settled writes, and keeps the <see cref="WatchTree"/> in step (watch first, announce
/// second). Reader-thread state (see <see cref="InotifyWatcher"/>).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class EventTranslator
{
    private const Interop.NotifyEvents SelfEvents = IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED;

    private readonly WatchTree _tree;
    private readonly OpenWrites _openWrites;
    private readonly PathFilter _filter;
    private readonly Action<FsChange> _emit;
    private readonly string _root;
    private readonly ILogger _log;
    private PendingMove? _pendingMove;

    public EventTranslator(WatchTree tree, OpenWrites openWrites, PathFilter filter, Action<FsChange> emit, string root, ILogger log)
    {
        _tree = tree;
        _openWrites = openWrites;
        _filter = filter;
        _emit = emit;
        _root = root;
        _log = log;
    }

    /// <summary>Set when watching cannot go on: the root is gone, moved or replaced.</summary>
    public Exception? Fatal { get; private set; }

    /// <summary>An IN_MOVED_FROM ended the last read: its IN_MOVED_TO is usually microseconds behind.</summary>
    public bool HasPendingMove => _pendingMove is not null;

    public void Handle(in InotifyEvent e)
    {
        string name = FileNameEncoding.GetString(e.Name);
        Interop.NotifyEvents mask = e.Mask;
        bool isDirectory = (mask & IN_ISDIR) != 0;

        if (_pendingMove is { } from)
        {
            _pendingMove = null;
            if ((mask & IN_MOVED_TO) != 0 && e.Cookie == from.Cookie && _tree.TryGet(e.Wd, out WatchedDirectory to))
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

        if (!_tree.TryGet(e.Wd, out WatchedDirectory directory))
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
            // Held until the next event says whether it is half of a rename (see SettlePendingMove for the end of a read).
            directory.Missed?.Remove(name);
            _pendingMove = new PendingMove(directory, name, isDirectory, e.Cookie);
            return;
        }

        if ((mask & IN_MODIFY) != 0 && !isDirectory)
        {
            // Marked only: its IN_CLOSE_WRITE, or the settle time, reports it. No rescan of unwatched siblings either:
            // a write is not a change of the directory, and a busy writer sends thousands.
            _openWrites.Written(directory, name);
            return;
        }

        if ((mask & (IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_TO | IN_CREATE)) != 0)
        {
            _openWrites.Forget(directory, name);
        }

        if ((mask & (IN_DELETE | IN_MOVED_TO | IN_CREATE)) != 0)
        {
            // The name was deleted or is something new now: a watch missed under it is settled (an arrival re-adds it
            // if its own watch fails again).
            directory.Missed?.Remove(name);
        }

        string path = directory.PathTo(name);
        if (!_filter.IsExcluded(path, isDirectory))
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
                    _tree.ForgetChild(directory, name);
                }

                _emit(new FsChange(FsChangeKind.Deleted, path, isDirectory));
            }
            else if ((mask & (IN_CLOSE_WRITE | IN_ATTRIB)) != 0)
            {
                // A subdirectory's own IN_ATTRIB duplicates the one its parent reports with a name; only the root has
                // no parent watch.
                if (name.Length > 0 || directory == _tree.Root)
                {
                    _emit(new FsChange(FsChangeKind.Modified, path, isDirectory || name.Length == 0));
                }
            }
        }
        else if (isDirectory && (mask & (IN_CREATE | IN_MOVED_TO)) != 0)
        {
            directory.MarkExcluded(name);
        }
        else if (isDirectory && (mask & IN_DELETE) != 0)
        {
            directory.ExcludedChildren?.Remove(name);
        }

        EmitUnwatchedAgain(directory, name);
    }

    /// <summary>No IN_MOVED_TO came for the held IN_MOVED_FROM: the entry left the tree.</summary>
    public void SettlePendingMove()
    {
        if (_pendingMove is { } from && Fatal is null)
        {
            _pendingMove = null;
            HandleMovedOut(from);
            EmitUnwatchedAgain(from.Directory, from.Name);
        }
    }

    /// <summary>Reports the files written without a close that saw no write for the settle time, or reached their deadline.</summary>
    public void ReportSettledWrites()
    {
        if (Fatal is not null)
        {
            return;
        }

        foreach (var (directory, name) in _openWrites.TakeDue())
        {
            // The directory may have been renamed meanwhile (its path follows) or dropped (its removal was reported).
            string path = directory.PathTo(name);
            if (_tree.IsCurrent(directory) && !_filter.IsExcluded(path, false))
            {
                _emit(new FsChange(FsChangeKind.Modified, path));
            }
        }
    }

    /// <summary>Rescans and requests a full sync: after IN_Q_OVERFLOW, or when our view can no longer be trusted.</summary>
    public void Resynchronize()
    {
        _pendingMove = null;
        _openWrites.Clear(); // the full sync covers them; later writes mark them again
        if (!_tree.Resynchronize())
        {
            _log.Error("The watched directory {Root} is gone or was replaced; the watcher stops", _root);
            Fatal = new DirectoryNotFoundException($"The watched directory '{_root}' is gone or was replaced.");
            return;
        }

        _emit(FsChange.Overflow);
    }

    private void HandleSelfEvent(WatchedDirectory directory, Interop.NotifyEvents mask)
    {
        if (directory == _tree.Root)
        {
            // The daemon must not keep running on nothing.
            Fatal = (mask & IN_MOVE_SELF) != 0
                ? new IOException($"The watched directory '{_root}' was moved away.")
                : new DirectoryNotFoundException($"The watched directory '{_root}' was deleted or unmounted.");
            _log.Error("The watched directory {Root} is gone ({Mask}); the watcher stops", _root, mask);
            return;
        }

        if ((mask & IN_UNMOUNT) != 0)
        {
            // A file system mounted inside the tree went away: the directory underneath is visible again.
            string path = directory.Path;
            _tree.RemoveSubtree(directory);
            if (_tree.Watch(path, WalkMode.Runtime, CancellationToken.None, out _) == WatchOutcome.Watched)
            {
                _emit(new FsChange(FsChangeKind.Rescan, path, IsDirectory: true));
            }
        }
        else if ((mask & IN_IGNORED) != 0)
        {
            // The kernel dropped the watch (directory deleted). Its parent's IN_DELETE reports the change.
            _tree.RemoveSubtree(directory, alreadyRemovedWd: directory.Wd);
        }

        // IN_DELETE_SELF / IN_MOVE_SELF of a subdirectory: its parent's IN_DELETE / IN_MOVED_* say what happened.
    }

    private void HandleRename(PendingMove from, WatchedDirectory to, string toName)
    {
        bool isDirectory = from.IsDirectory;
        string fromPath = from.Directory.PathTo(from.Name);
        string toPath = to.PathTo(toName);
        bool fromInside = !_filter.IsExcluded(fromPath, isDirectory);
        bool toInside = !_filter.IsExcluded(toPath, isDirectory);

        if (fromInside && toInside)
        {
            if (isDirectory)
            {
                from.Directory.Unwatched?.Remove(from.Name);
                to.Unwatched?.Remove(toName);
                if (from.Directory.Children is { } children && children.TryGetValue(from.Name, out WatchedDirectory? moved))
                {
                    _tree.MoveDirectory(moved, to, toName);
                    _tree.ConfirmMoved(moved);
                }
                else
                {
                    // The source was not watched (it vanished before we could, or could not be): watch it now, before
                    // the event goes out, so the recursive sync of the destination covers the gap.
                    _tree.Watch(toPath, WalkMode.Runtime, CancellationToken.None, out _);
                }
            }

            _emit(new FsChange(FsChangeKind.Renamed, toPath, isDirectory, fromPath));
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
                to.MarkExcluded(toName);
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
        string path = from.Directory.PathTo(from.Name);
        if (_filter.IsExcluded(path, from.IsDirectory))
        {
            from.Directory.ExcludedChildren?.Remove(from.Name);
            return;
        }

        if (from.IsDirectory)
        {
            _tree.ForgetChild(from.Directory, from.Name);
        }

        _emit(new FsChange(FsChangeKind.Deleted, path, from.IsDirectory));
    }

    /// <summary>Created, or moved in from outside the tree.</summary>
    private void HandleArrival(string path, bool isDirectory)
    {
        if (!isDirectory)
        {
            _emit(new FsChange(FsChangeKind.Modified, path));
            return;
        }

        // Watch first, announce second (see the notes in InotifyWatcher). If it vanished already, its IN_DELETE or
        // IN_MOVED_FROM follows; if it cannot be watched, the tree has asked for its Rescan.
        if (_tree.Watch(path, WalkMode.Runtime, CancellationToken.None, out _) == WatchOutcome.Watched)
        {
            _emit(new FsChange(FsChangeKind.DirectoryCreated, path, IsDirectory: true));
        }
    }

    /// <summary>Something happened in <paramref name="directory"/>: each child we could not watch may have changed too,
    /// so it is rescanned (after one more attempt to watch it, in case watches were freed).</summary>
    private void EmitUnwatchedAgain(WatchedDirectory directory, string? exceptName)
    {
        if (directory.Unwatched is not { Count: > 0 } unwatched || Fatal is not null)
        {
            return;
        }

        foreach (string name in unwatched.ToArray())
        {
            if (name == exceptName)
            {
                continue; // this very event was about it
            }

            string path = directory.PathTo(name);
            switch (_tree.Watch(path, WalkMode.Runtime, CancellationToken.None, out _))
            {
                case WatchOutcome.Watched:
                    _emit(new FsChange(FsChangeKind.Rescan, path, IsDirectory: true));
                    break;
                case WatchOutcome.Vanished:
                    // Its IN_DELETE / IN_MOVED_FROM is on its way and will be reported.
                    unwatched.Remove(name);
                    break;
                default:
                    break; // still unwatchable: the tree has asked for its Rescan
            }
        }
    }
}
