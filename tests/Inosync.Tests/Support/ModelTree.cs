using Inosync.Watching;

namespace Inosync.Tests.Support;

/// <summary>One entry of a <see cref="ModelTree"/>: a directory or a file, with a content and an attribute stamp.</summary>
internal sealed record ModelEntry(bool IsDirectory, int Content, int Mode);

/// <summary>
/// A file tree in memory for coalescer tests. The shell-like operations change it and record the
/// <see cref="FsChange"/> events a perfect watcher would report for them (rm -rf: children first, bottom-up;
/// mv within the tree: one Renamed; content moved in from outside: only the top DirectoryCreated).
/// The raw operations (Put, DeleteTree, MoveTree) change it silently: the node side and lost events use them.
/// </summary>
internal sealed class ModelTree
{
    private readonly SortedDictionary<string, ModelEntry> _entries = new(StringComparer.Ordinal);
    private readonly List<FsChange> _events = [];
    private int _stamp;

    public IReadOnlyDictionary<string, ModelEntry> Entries => _entries;

    /// <summary>The root directory's attribute stamp (the root is not an entry).</summary>
    public int RootMode { get; set; }

    public static string Parent(string path) => path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : "";

    public static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;

    public bool Exists(string path) => _entries.ContainsKey(path);

    public bool IsDirectory(string path) => path.Length == 0 || (_entries.TryGetValue(path, out var e) && e.IsDirectory);

    public bool IsFile(string path) => _entries.TryGetValue(path, out var e) && !e.IsDirectory;

    public ModelEntry? Get(string path) => _entries.GetValueOrDefault(path);

    /// <summary>The path and everything below it, parents before children.</summary>
    public List<string> Subtree(string path) =>
        [.. _entries.Keys.Where(k => path.Length == 0 || k == path || k.StartsWith(path + "/", StringComparison.Ordinal))];

    /// <summary>The events recorded since the last call.</summary>
    public List<FsChange> DrainEvents()
    {
        var events = _events.ToList();
        _events.Clear();
        return events;
    }

    // ---- shell-like operations (record events) ----

    /// <summary>echo > path: create or overwrite a file.</summary>
    public void Write(string path)
    {
        Require(IsDirectory(Parent(path)) && !IsDirectory(path), $"write {path}");
        var mode = Get(path)?.Mode ?? 0;
        _entries[path] = new ModelEntry(false, ++_stamp, mode);
        _events.Add(new FsChange(FsChangeKind.Modified, path));
    }

    public void Mkdir(string path)
    {
        Require(IsDirectory(Parent(path)) && !Exists(path), $"mkdir {path}");
        _entries[path] = new ModelEntry(true, 0, 0);
        _events.Add(new FsChange(FsChangeKind.DirectoryCreated, path, IsDirectory: true));
    }

    public void MkdirP(string path)
    {
        var end = 0;
        while (end >= 0)
        {
            end = path.IndexOf('/', end + 1);
            var prefix = end < 0 ? path : path[..end];
            if (!Exists(prefix))
            {
                Mkdir(prefix);
            }
        }
    }

    /// <summary>chmod/touch on an existing entry ("" is the root).</summary>
    public void Chmod(string path)
    {
        if (path.Length == 0)
        {
            RootMode = ++_stamp;
            _events.Add(new FsChange(FsChangeKind.Modified, "", IsDirectory: true));
            return;
        }

        var entry = Get(path) ?? throw new InvalidOperationException($"chmod {path}: missing");
        _entries[path] = entry with { Mode = ++_stamp };
        _events.Add(new FsChange(FsChangeKind.Modified, path, entry.IsDirectory));
    }

    /// <summary>rm -rf path: the watcher reports the children first, bottom-up, then the path.</summary>
    public void RemoveTree(string path)
    {
        Require(Exists(path), $"rm -rf {path}");
        foreach (var entry in Subtree(path).AsEnumerable().Reverse())
        {
            _events.Add(new FsChange(FsChangeKind.Deleted, entry, _entries[entry].IsDirectory));
            _entries.Remove(entry);
        }
    }

    /// <summary>mv from to, within the tree (a file may replace a file).</summary>
    public void Rename(string from, string to)
    {
        Require(CanRename(from, to), $"mv {from} {to}");
        var isDirectory = IsDirectory(from);
        MoveTree(from, to);
        _events.Add(new FsChange(FsChangeKind.Renamed, to, isDirectory, from));
    }

    public bool CanRename(string from, string to) =>
        Exists(from) && from != to && IsDirectory(Parent(to)) && !to.StartsWith(from + "/", StringComparison.Ordinal)
        && (!Exists(to) || (IsFile(from) && IsFile(to)));

    /// <summary>mv path /outside: reported as Deleted.</summary>
    public void MoveOut(string path)
    {
        Require(Exists(path), $"mv {path} out");
        var isDirectory = IsDirectory(path);
        DeleteTree(path);
        _events.Add(new FsChange(FsChangeKind.Deleted, path, isDirectory));
    }

    /// <summary>mv /outside/dir path: a directory arrives with content; only the directory is reported.</summary>
    public void MoveIn(string path, params string[] files)
    {
        Require(IsDirectory(Parent(path)) && !Exists(path), $"mv in {path}");
        Put(path, new ModelEntry(true, 0, ++_stamp));
        foreach (var file in files)
        {
            Put(Join(path, file), new ModelEntry(false, ++_stamp, 0));
        }

        _events.Add(new FsChange(FsChangeKind.DirectoryCreated, path, IsDirectory: true));
    }

    /// <summary>Events lost in the kernel: the changes happen, only an overflow is reported.</summary>
    public void LoseEvents(Action<ModelTree> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var before = _events.Count;
        changes(this);
        _events.RemoveRange(before, _events.Count - before);
        _events.Add(FsChange.Overflow);
    }

    // ---- raw operations (no events) ----

    public void Put(string path, ModelEntry entry) => _entries[path] = entry;

    public void DeleteTree(string path)
    {
        foreach (var entry in Subtree(path))
        {
            _entries.Remove(entry);
        }
    }

    public void MoveTree(string from, string to)
    {
        if (IsFile(to))
        {
            _entries.Remove(to);
        }

        foreach (var entry in Subtree(from))
        {
            var moved = _entries[entry];
            _entries.Remove(entry);
            _entries[to + entry[from.Length..]] = moved;
        }
    }

    public void Clear()
    {
        _entries.Clear();
        RootMode = 0;
    }

    private static void Require(bool condition, string operation)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Invalid model operation: {operation}");
        }
    }
}
