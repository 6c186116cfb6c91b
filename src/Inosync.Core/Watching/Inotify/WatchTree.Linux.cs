using System.Runtime.Versioning;
using Inosync.Filtering;
using Serilog;
using static Inosync.Interop.NotifyEvents;

namespace Inosync.Watching.Inotify;

/// <summary>
/// The watches of one tree: a <see cref="WatchedDirectory"/> per watched directory, found by wd (the kernel's events)
/// and by path (the walk: name by name from the root), added and removed in the kernel and in the tree together,
/// re-homed when a directory moves, and marked and swept after an overflow. A directory whose content must be synced
/// recursively because it could not be watched (or only now is) is handed to the rescan callback; everything else is
/// the caller's to report.
/// Reader-thread state (see <see cref="InotifyWatcher"/>): no locks.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class WatchTree
{
    /// <summary>What the watches report: every change of an entry and of the directory itself, never through a link.</summary>
    public const Interop.NotifyEvents WatchMask =
        IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |
        IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_ONLYDIR;

    private const long ProgressIntervalMilliseconds = 5000;

    private readonly IInotify _inotify;
    private readonly string _root;
    private readonly WatchPaths _paths;
    private readonly WatchFailures _failures;
    private readonly PathFilter _filter;
    private readonly Action<string> _rescan;
    private readonly ILogger _log;
    private readonly CancellationToken _stopping;
    private readonly Dictionary<int, WatchedDirectory> _byWd = [];
    private int _watchCount;
    private int _generation;
    private bool _walkingAtStartup;
    private long _nextProgressAt;

    /// <param name="inotify">The instance the watches belong to.</param>
    /// <param name="root">The watched directory: absolute, no trailing slash.</param>
    /// <param name="filter">What is excluded: never watched.</param>
    /// <param name="rescan">Called with a directory whose content must be synced recursively: it could not be watched,
    /// or it is watched only now (while running; never during the start-up walk).</param>
    /// <param name="log">Limits, unwatchable directories, progress on big trees.</param>
    /// <param name="stopping">Ends a walk early.</param>
    public WatchTree(IInotify inotify, string root, PathFilter filter, Action<string> rescan, ILogger log, CancellationToken stopping)
    {
        _inotify = inotify;
        _root = root;
        _paths = new WatchPaths(root);
        _failures = new WatchFailures(root, filter, rescan, log);
        _filter = filter;
        _rescan = rescan;
        _log = log;
        _stopping = stopping;
    }

    /// <summary>How many directories are watched; readable from any thread.</summary>
    public int WatchCount => Volatile.Read(ref _watchCount);

    public WatchedDirectory? Root { get; private set; }

    /// <summary>The directory a wd of an event belongs to; false for a watch already dropped (its last events trickle in).</summary>
    public bool TryGet(int wd, out WatchedDirectory directory) => _byWd.TryGetValue(wd, out directory!);

    /// <summary>Whether <paramref name="directory"/> is still the one watched under its wd (not dropped meanwhile).</summary>
    public bool IsCurrent(WatchedDirectory directory) => _byWd.TryGetValue(directory.Wd, out WatchedDirectory? current) && current == directory;

    /// <summary>The start-up walk of the whole tree.</summary>
    /// <exception cref="WatchLimitException">The watch limit is too low for the tree.</exception>
    public WatchOutcome WatchAll(CancellationToken cancellationToken)
    {
        _generation = 1;
        _walkingAtStartup = true;
        try
        {
            return Watch("", WalkMode.Startup, cancellationToken, out _);
        }
        finally
        {
            _walkingAtStartup = false;
        }
    }

    /// <summary>Watches <paramref name="path"/> and every directory below it (except excluded ones), without following
    /// symlinks. Returns what happened to <paramref name="path"/> itself.</summary>
    public WatchOutcome Watch(string path, WalkMode mode, CancellationToken cancellationToken, out WatchedDirectory? top)
    {
        _nextProgressAt = Environment.TickCount64 + ProgressIntervalMilliseconds;
        var pending = new Stack<string>();
        pending.Push(path);
        WatchOutcome topOutcome = WatchOutcome.Vanished;
        top = null;
        bool first = true;
        int walked = 0;
        while (pending.Count > 0)
        {
            if (cancellationToken.IsCancellationRequested || _stopping.IsCancellationRequested)
            {
                throw new OperationCanceledException("The watcher was stopped while watching the tree.");
            }

            string current = pending.Pop();
            WatchOutcome outcome = AddWatch(current, mode, out WatchedDirectory? added);
            if (first)
            {
                topOutcome = outcome;
                top = added;
                first = false;
            }

            if (outcome != WatchOutcome.Watched)
            {
                continue;
            }

            ReportProgress();
            WalkGarbage.AfterDirectory(++walked);

            // The watch is in place before we list, so an entry made meanwhile is either listed or reported.
            added!.ExcludedChildren = null;
            foreach (string child in _paths.ChildDirectories(current))
            {
                string childPath = WatchPaths.Join(current, child);
                if (_filter.IsExcluded(childPath, true))
                {
                    added.MarkExcluded(child);
                }
                else
                {
                    pending.Push(childPath);
                }
            }
        }

        return topOutcome;
    }

    /// <summary>
    /// After an overflow: walks the whole tree again and drops whatever the walk did not reach (mark and sweep). False
    /// when the root itself is gone or was replaced.
    /// </summary>
    public bool Resynchronize()
    {
        _generation++;
        foreach (WatchedDirectory directory in _byWd.Values)
        {
            directory.Unwatched = null; // re-derived by the walk
            directory.Missed = null;
        }

        WatchedDirectory? previousRoot = Root;
        WatchOutcome outcome = Watch("", WalkMode.Runtime, CancellationToken.None, out WatchedDirectory? root);
        if (outcome != WatchOutcome.Watched || root != previousRoot)
        {
            return false;
        }

        var stale = _byWd.Values.Where(d => d.Generation != _generation).ToList();
        foreach (WatchedDirectory directory in stale)
        {
            if (IsCurrent(directory))
            {
                RemoveSubtree(directory);
            }
        }

        return true;
    }

    /// <summary>Re-homes a watched directory and everything below it under a new parent and name: the wds stay.</summary>
    public void MoveDirectory(WatchedDirectory directory, WatchedDirectory newParent, string newName)
    {
        if (newParent.Children is { } siblings && siblings.TryGetValue(newName, out WatchedDirectory? replaced) && replaced != directory)
        {
            // rename(2) over an empty directory replaced it.
            RemoveSubtree(replaced);
        }

        directory.DetachFromParent();
        directory.Parent = newParent;
        directory.Name = newName;
        (newParent.Children ??= new(StringComparer.Ordinal))[newName] = directory;

        // Paths are built from names and parents: the whole subtree has its new paths already.
        List<WatchedDirectory> subtree = directory.Subtree();

        // Watches that failed on a stale path (see "Stale paths" in InotifyWatcher) get their chance under the new one.
        RetryMissed(subtree);

        // Exclusions may depend on the path: what is excluded under the new path stops being watched, and what was
        // excluded only under the old path starts being watched. No event: the caller's event for the moved directory
        // (emitted after this) makes the downstream sync recursive.
        foreach (WatchedDirectory moved in subtree)
        {
            if (!IsCurrent(moved))
            {
                continue; // removed with an excluded ancestor
            }

            if (moved != directory && _filter.IsExcluded(moved.Path, true))
            {
                moved.Parent!.MarkExcluded(moved.Name);
                RemoveSubtree(moved);
                continue;
            }

            if (moved.ExcludedChildren is { Count: > 0 } excluded)
            {
                foreach (string name in excluded.ToArray())
                {
                    string childPath = moved.PathTo(name);
                    if (!_filter.IsExcluded(childPath, true))
                    {
                        excluded.Remove(name);
                        Watch(childPath, WalkMode.Runtime, CancellationToken.None, out _);
                    }
                }
            }
        }
    }

    /// <summary>
    /// After a move from the queue was applied: makes sure the directory now at <paramref name="moved"/>'s path is the
    /// one that moved. Behind a backlog it may not be: mkdir d; mv d e; mkdir d — the first mkdir is handled when d is
    /// the second directory, whose watch then moved to e. So e is watched afresh and the wrong watch dropped (the queued
    /// event that put the second directory where it is watches it again); a path now empty has its own event queued.
    /// </summary>
    public void ConfirmMoved(WatchedDirectory moved)
    {
        int wd = AddKernelWatch(moved.Path, out _);
        if (wd >= 0 && wd != moved.Wd)
        {
            Watch(moved.Path, WalkMode.Runtime, CancellationToken.None, out _);
        }
    }

    /// <summary>A child entry of <paramref name="parent"/> is gone: forget it, and its watches if it was a directory.</summary>
    public void ForgetChild(WatchedDirectory parent, string name)
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
    public void RemoveSubtree(WatchedDirectory directory, int alreadyRemovedWd = -1)
    {
        directory.DetachFromParent();
        foreach (WatchedDirectory removed in directory.Subtree())
        {
            if (_byWd.TryGetValue(removed.Wd, out WatchedDirectory? byWd) && byWd == removed)
            {
                _byWd.Remove(removed.Wd);
                if (removed.Wd != alreadyRemovedWd)
                {
                    _inotify.RemoveWatch(removed.Wd);
                }
            }
        }

        UpdateWatchCount();
    }

    private WatchOutcome AddWatch(string path, WalkMode mode, out WatchedDirectory? directory)
    {
        directory = null;
        bool isRoot = path.Length == 0;

        int wd = AddKernelWatch(path, out int errno);

        string name = WatchPaths.NameOf(path);
        WatchedDirectory? parent = null;
        if (!isRoot && (parent = Find(path.AsSpan(0, Math.Max(0, path.LastIndexOf('/'))))) is null)
        {
            // Only parents that are watched get their children walked; be defensive all the same.
            if (wd >= 0 && !_byWd.ContainsKey(wd))
            {
                _inotify.RemoveWatch(wd);
            }

            return WatchOutcome.Vanished;
        }

        if (wd < 0)
        {
            return _failures.Handle(path, parent, errno, mode == WalkMode.Startup);
        }

        if (_byWd.TryGetValue(wd, out WatchedDirectory? existing))
        {
            if (!isRoot && existing != Root && (existing.Parent != parent || existing.Name != name))
            {
                // The directory moved before we handled the move: follow it.
                MoveDirectory(existing, parent!, name);
            }

            existing.Generation = _generation;
            parent?.Unwatched?.Remove(name);
            parent?.Missed?.Remove(name);
            directory = existing;
            return WatchOutcome.Watched;
        }

        if (Find(path) is { } replaced)
        {
            // Another directory used to live at this path; its removal is still in the queue.
            RemoveSubtree(replaced);
        }

        directory = new WatchedDirectory(wd, name, parent) { Generation = _generation };
        _byWd[wd] = directory;
        if (parent is null)
        {
            Root = directory;
        }
        else
        {
            (parent.Children ??= new(StringComparer.Ordinal))[name] = directory;
            parent.Unwatched?.Remove(name);
            parent.Missed?.Remove(name);
        }

        UpdateWatchCount();
        return WatchOutcome.Watched;
    }

    // The watched directory at this path, found from the root by names (no allocation), or null.
    private WatchedDirectory? Find(ReadOnlySpan<char> path)
    {
        WatchedDirectory? current = Root;
        ReadOnlySpan<char> rest = path;
        while (current is not null && rest.Length > 0)
        {
            int slash = rest.IndexOf('/');
            ReadOnlySpan<char> name = slash < 0 ? rest : rest[..slash];
            rest = slash < 0 ? [] : rest[(slash + 1)..];
            current = current.Children is { } children && children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out WatchedDirectory? child)
                ? child
                : null;
        }

        return current;
    }

    // inotify_add_watch by path; on a directory watched already, the kernel returns its existing wd.
    private int AddKernelWatch(string path, out int errno)
    {
        // The root may be a symlink the administrator chose; below it, symlinks are entries, not directories.
        Interop.NotifyEvents mask = path.Length == 0 ? WatchMask & ~IN_DONT_FOLLOW : WatchMask;
        int capacity = _paths.Capacity(path);
        Span<byte> fullPath = capacity <= WatchPaths.StackBytes ? stackalloc byte[WatchPaths.StackBytes] : new byte[capacity];
        _paths.WriteFull(path, fullPath);
        return _inotify.AddWatch(fullPath, mask, out errno);
    }

    private void RetryMissed(List<WatchedDirectory> subtree)
    {
        foreach (WatchedDirectory directory in subtree)
        {
            if (directory.Missed is not { Count: > 0 } missed || !IsCurrent(directory))
            {
                continue;
            }

            foreach (string name in missed.ToArray())
            {
                missed.Remove(name);
                string path = directory.PathTo(name);
                if (!_filter.IsExcluded(path, true)
                    && Watch(path, WalkMode.Runtime, CancellationToken.None, out _) == WatchOutcome.Watched && !_walkingAtStartup)
                {
                    // Watched now, then announced: what happened inside it so far is in this recursive sync.
                    _rescan(path);
                }
            }
        }
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

    private void UpdateWatchCount() => Volatile.Write(ref _watchCount, _byWd.Count);
}
