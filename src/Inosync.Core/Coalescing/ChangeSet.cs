using Inosync.Filtering;
using Inosync.Watching;

namespace Inosync.Coalescing;

/// <summary>
/// The pending changes of one node, narrowed to parent-directory jobs. Pure: no I/O, no clock, not thread-safe
/// (the owner serialises access). Cost per <see cref="Add(FsChange)"/> is O(1) amortised (O(path depth)).
/// </summary>
/// <remarks>
/// Implementation notes. The goal: once the source is quiet and every batch has run, each node equals the
/// source, even though the runner only looks at what a batch lists (names and recursive directories).
/// <list type="bullet">
/// <item>State: changed names per directory (flags OR-ed), directories to sync recursively, moves in order,
/// a pending full sync, and "the root itself changed" (the root has no parent to be named in). A recursive
/// root is a full sync.</item>
/// <item><see cref="Add(FsChange)"/> narrows one change and applies only O(1) absorptions: a name in a directory
/// that is already recursive is dropped; a directory that becomes recursive drops its names; a directory with
/// more than <see cref="CoalescerOptions.MaxNamesPerDirectory"/> names becomes recursive; and when a path is
/// deleted or moved away, its own recursive job goes (nothing there to sync; the Removed name deletes it all).</item>
/// <item><see cref="Take"/> does the rest once per batch. Below a recursive directory nothing else is needed.
/// Below a name that was Removed and has no recursive job of its own nothing is needed either: the path is
/// gone, or was re-created as a file (a directory re-created there always brings a recursive job), and the
/// Removed name deletes the whole old subtree on the node. A name that was only Modified is dropped when its
/// own path has a recursive job (that job transfers the entry too); a Removed name is always kept, because a
/// recursive job cannot say "it is gone" (rm -rf d/x; mkdir d/x; ...; rmdir d/x must still delete d/x).</item>
/// <item>Re-queued batches (<see cref="Add(SyncBatch)"/>) merge as a union: their order against newer changes is
/// lost, so nothing is dropped on their account, only OR-ed in.</item>
/// </list>
/// </remarks>
public sealed class ChangeSet
{
    private static readonly IReadOnlyDictionary<string, NameChange> s_noNames = new Dictionary<string, NameChange>();

    private readonly int _maxNames;
    private readonly PathFilter _filter;

    private Dictionary<string, Dictionary<string, NameChange>> _names = new(StringComparer.Ordinal);
    private HashSet<string> _recursive = new(StringComparer.Ordinal);
    private List<MovedPath> _moves = [];
    private int _nameCount;
    private bool _fullSync;
    private bool _rootChanged;

    public ChangeSet(CoalescerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxNamesPerDirectory, 1, nameof(options));
        _maxNames = options.MaxNamesPerDirectory;
        _filter = options.Filter ?? PathFilter.None;
    }

    /// <summary>True when nothing is pending.</summary>
    public bool IsEmpty => Count == 0 && _moves.Count == 0;

    /// <summary>How many distinct changes are pending (names plus recursive directories; a pending full sync counts 1).</summary>
    /// <remarks>Counted as recorded: entries that <see cref="Take"/> will absorb still count.</remarks>
    public int Count => _nameCount + _recursive.Count + (_fullSync ? 1 : 0) + (_rootChanged ? 1 : 0);

    /// <summary>Adds one change from the watcher.</summary>
    public void Add(FsChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var path = change.Path;
        switch (change.Kind)
        {
            case FsChangeKind.Modified:
                if (path.Length == 0)
                {
                    _rootChanged = true;
                }
                else if (!IsExcluded(path, change.IsDirectory))
                {
                    AddName(path, NameChange.Modified);
                }

                break;

            case FsChangeKind.DirectoryCreated:
            case FsChangeKind.Rescan:
                if (!IsExcluded(path, isDirectory: true))
                {
                    AddRecursive(path);
                }

                break;

            case FsChangeKind.Deleted:
                if (path.Length == 0)
                {
                    // The root itself went away or was replaced: only a full sync can say what the node should hold.
                    _fullSync = true;
                }
                else if (!IsExcluded(path, change.IsDirectory))
                {
                    AddRemoval(path);
                }

                break;

            case FsChangeKind.Renamed:
                AddRename(change);
                break;

            default:
                // Overflow, or a kind this version does not know: events may be lost, so resync everything.
                _fullSync = true;
                break;
        }
    }

    /// <summary>Puts a batch that failed back, merged with whatever arrived since, so nothing is lost.</summary>
    public void Add(SyncBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _fullSync |= batch.FullSync;
        foreach (var job in batch.Jobs)
        {
            if (job.Recursive)
            {
                AddRecursive(job.Directory);
            }
            else if (job.Names.Count == 0)
            {
                _rootChanged |= job.Directory.Length == 0;
            }
            else
            {
                foreach (var (name, change) in job.Names)
                {
                    AddName(job.Directory, name, change);
                }
            }
        }

        // The batch's moves happened before anything added since.
        if (batch.Moves.Count > 0)
        {
            _moves.InsertRange(0, batch.Moves);
        }
    }

    /// <summary>Schedules one full sync; repeated requests while one is pending merge into it.</summary>
    public void RequestFullSync() => _fullSync = true;

    /// <summary>Returns everything pending as one batch and leaves the set empty.</summary>
    /// <remarks>
    /// A full sync carries no jobs and no moves: it covers everything (moves are only a shortcut).
    /// <see cref="SyncBatch.ChangeCount"/> is <see cref="Count"/> before the batch was taken.
    /// </remarks>
    public SyncBatch Take()
    {
        if (IsEmpty)
        {
            return SyncBatch.Empty;
        }

        var count = Count;
        var batch = _fullSync
            ? new SyncBatch(true, [], [], count)
            : new SyncBatch(false, BuildJobs(), _moves, count);

        // Fresh containers: the batch now owns the name dictionaries and the move list.
        _names = new(StringComparer.Ordinal);
        _recursive = new(StringComparer.Ordinal);
        _moves = [];
        _nameCount = 0;
        _fullSync = false;
        _rootChanged = false;
        return batch;
    }

    private void AddRename(FsChange change)
    {
        var isDirectory = change.IsDirectory;
        var from = change.OldPath;

        // A missing or excluded source: the entry simply appeared at the destination.
        var leftFrom = !string.IsNullOrEmpty(from) && !IsExcluded(from, isDirectory);

        // An excluded destination: the entry simply went away.
        var arrived = !IsExcluded(change.Path, isDirectory);

        if (leftFrom)
        {
            AddRemoval(from!);
        }

        if (arrived)
        {
            if (isDirectory || change.Path.Length == 0)
            {
                AddRecursive(change.Path);
            }
            else
            {
                AddName(change.Path, NameChange.Modified);
            }
        }

        // A directory moved on a node keeps all it holds; where the rules depend on the path, some of that may be
        // excluded at the new place, where rsync would then protect it for ever. Such a move is sent as a transfer.
        if (leftFrom && arrived && (!isDirectory || _filter.DecidesByNameOnly))
        {
            _moves.Add(new MovedPath(from!, change.Path, isDirectory));
        }
    }

    private void AddRemoval(string path)
    {
        // Whatever was pending to sync at this path is gone with it; the Removed name deletes all of it on the node.
        _recursive.Remove(path);
        AddName(path, NameChange.Removed);
    }

    private void AddName(string path, NameChange change)
    {
        var slash = path.LastIndexOf('/');
        var directory = slash < 0 ? ReadOnlySpan<char>.Empty : path.AsSpan(0, slash);
        AddName(directory, path.AsSpan(slash + 1), change);
    }

    // Keys are looked up as spans, so a change in a directory and to a name already pending allocates nothing.
    private void AddName(ReadOnlySpan<char> directory, ReadOnlySpan<char> name, NameChange change)
    {
        if (_recursive.GetAlternateLookup<ReadOnlySpan<char>>().Contains(directory))
        {
            return;
        }

        var byDirectory = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!byDirectory.TryGetValue(directory, out var names))
        {
            names = new Dictionary<string, NameChange>(StringComparer.Ordinal);
            byDirectory[directory] = names;
        }

        var byName = names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (byName.TryGetValue(name, out var existing))
        {
            byName[name] = existing | change;
            return;
        }

        if (names.Count >= _maxNames)
        {
            AddRecursive(directory.ToString());
            return;
        }

        byName[name] = change;
        _nameCount++;
    }

    private void AddRecursive(string directory)
    {
        if (directory.Length == 0)
        {
            _fullSync = true;
            return;
        }

        if (_names.Remove(directory, out var absorbed))
        {
            _nameCount -= absorbed.Count;
        }

        _recursive.Add(directory);
    }

    // The filter also excludes everything below an excluded directory, in one pass over the path.
    private bool IsExcluded(string path, bool isDirectory) => _filter.IsExcluded(path, isDirectory);

    private List<DirectoryJob> BuildJobs()
    {
        var recursive = _recursive.GetAlternateLookup<ReadOnlySpan<char>>();
        var names = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        var jobs = new List<DirectoryJob>(_recursive.Count + _names.Count + 1);

        // A name only Modified whose own path is recursive: that job transfers the entry itself.
        foreach (var directory in _recursive)
        {
            var slash = directory.LastIndexOf('/');
            var parent = slash < 0 ? ReadOnlySpan<char>.Empty : directory.AsSpan(0, slash);
            if (names.TryGetValue(parent, out var inParent))
            {
                var byName = inParent.GetAlternateLookup<ReadOnlySpan<char>>();
                var name = directory.AsSpan(slash + 1);
                if (byName.TryGetValue(name, out var change) && (change & NameChange.Removed) == 0)
                {
                    byName.Remove(name);
                }
            }
        }

        foreach (var directory in _recursive)
        {
            if (!IsCovered(directory, includeSelf: false, recursive, names))
            {
                jobs.Add(DirectoryJob.WholeDirectory(directory));
            }
        }

        foreach (var (directory, inDirectory) in _names)
        {
            if (inDirectory.Count > 0 && !IsCovered(directory, includeSelf: true, recursive, names))
            {
                jobs.Add(new DirectoryJob(directory, false, inDirectory));
            }
        }

        if (_rootChanged && !(_names.TryGetValue("", out var inRoot) && inRoot.Count > 0))
        {
            // No names: the job stands for the root directory's own entry (its attributes).
            jobs.Add(new DirectoryJob("", false, s_noNames));
        }

        jobs.Sort(static (a, b) => string.CompareOrdinal(a.Directory, b.Directory));
        return jobs;
    }

    // True when a job at this directory is not needed: an ancestor (or, with includeSelf, the directory itself)
    // is recursive, or was removed without being re-created as a directory.
    private static bool IsCovered(
        string directory,
        bool includeSelf,
        HashSet<string>.AlternateLookup<ReadOnlySpan<char>> recursive,
        Dictionary<string, Dictionary<string, NameChange>>.AlternateLookup<ReadOnlySpan<char>> names)
    {
        var path = directory.AsSpan();
        for (var slash = path.IndexOf('/'); slash >= 0; slash = NextSlash(path, slash))
        {
            if (IsCovering(path[..slash], recursive, names))
            {
                return true;
            }
        }

        return includeSelf && path.Length > 0 && IsCovering(path, recursive, names);

        static int NextSlash(ReadOnlySpan<char> path, int slash)
        {
            var next = path[(slash + 1)..].IndexOf('/');
            return next < 0 ? -1 : slash + 1 + next;
        }
    }

    private static bool IsCovering(
        ReadOnlySpan<char> path,
        HashSet<string>.AlternateLookup<ReadOnlySpan<char>> recursive,
        Dictionary<string, Dictionary<string, NameChange>>.AlternateLookup<ReadOnlySpan<char>> names)
    {
        if (recursive.Contains(path))
        {
            return true;
        }

        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? ReadOnlySpan<char>.Empty : path[..slash];
        return names.TryGetValue(parent, out var inParent)
            && inParent.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(path[(slash + 1)..], out var change)
            && (change & NameChange.Removed) != 0;
    }
}
