using Inosync.Testing;
using Inosync.Testing.RawFiles;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// The workload's model of the watched tree: every entry's relative path (a <see cref="RawName"/> string) and type.
/// Only the workload changes the source, so the model stays exact and lets the generator pick valid operations
/// without listing the disk. "" is the root.
/// </summary>
internal sealed class ChurnTree
{
    private readonly Dictionary<string, TreeEntryKind> _kinds = new(StringComparer.Ordinal);

    public ChurnTree()
    {
        _kinds[""] = TreeEntryKind.Directory;
        Directories.Add("");
    }

    public IndexedSet Directories { get; } = new();

    public IndexedSet Files { get; } = new();

    public IndexedSet Symlinks { get; } = new();

    public int Count => _kinds.Count;

    public TreeEntryKind? KindOf(string path) => _kinds.TryGetValue(path, out var kind) ? kind : null;

    public bool Exists(string path) => _kinds.ContainsKey(path);

    public void Add(string path, TreeEntryKind kind)
    {
        if (!_kinds.TryAdd(path, kind))
        {
            throw new InvalidOperationException($"The model already has {RawName.Show(path)}.");
        }

        SetOf(kind).Add(path);
    }

    public void Remove(string path)
    {
        if (_kinds.Remove(path, out var kind))
        {
            SetOf(kind).Remove(path);
        }
    }

    /// <summary>The entry and everything below it.</summary>
    public List<string> Subtree(string path)
    {
        string prefix = path + "/";
        return [.. _kinds.Keys.Where(p => p == path || p.StartsWith(prefix, StringComparison.Ordinal))];
    }

    public bool IsEmptyDirectory(string path)
    {
        string prefix = path.Length == 0 ? "" : path + "/";
        return KindOf(path) == TreeEntryKind.Directory && !_kinds.Keys.Any(p => p.Length > prefix.Length && p.StartsWith(prefix, StringComparison.Ordinal));
    }

    public void RemoveSubtree(string path)
    {
        foreach (string entry in Subtree(path))
        {
            Remove(entry);
        }
    }

    /// <summary>Re-keys an entry and everything below it after a rename.</summary>
    public void MoveSubtree(string from, string to)
    {
        var moved = Subtree(from).Select(p => (Old: p, Kind: _kinds[p])).ToList();
        foreach (var (old, _) in moved)
        {
            Remove(old);
        }

        foreach (var (old, kind) in moved)
        {
            Add(to + old[from.Length..], kind);
        }
    }

    /// <summary>Adds what is on disk at <paramref name="path"/> (moved in from outside the tree).</summary>
    public void AddFromDisk(string root, string path)
    {
        if (RawFileSystem.Stat(Join(root, path)) is not { } stat)
        {
            throw new InvalidOperationException($"{RawName.Show(path)} is not on disk.");
        }

        Add(path, stat.Kind);
        if (stat.Kind == TreeEntryKind.Directory)
        {
            foreach (string name in RawFileSystem.List(Join(root, path)))
            {
                AddFromDisk(root, path + "/" + name);
            }
        }
    }

    /// <summary>Depth of a path: "" is 0, "a" is 1, "a/b" is 2.</summary>
    public static int Depth(string path) => path.Length == 0 ? 0 : path.Count(c => c == '/') + 1;

    public static string Join(string directory, string name) =>
        directory.Length == 0 ? name : name.Length == 0 ? directory : directory + "/" + name;

    public static string ParentOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    public static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];

    private IndexedSet SetOf(TreeEntryKind kind) => kind switch
    {
        TreeEntryKind.Directory => Directories,
        TreeEntryKind.File => Files,
        TreeEntryKind.Symlink => Symlinks,
        _ => throw new InvalidOperationException($"The workload makes no {kind} entries."),
    };
}
