using System.IO.Enumeration;

namespace Inosync.Benchmarks.Measuring;

internal enum EntryKind
{
    Directory,
    File,
    Symlink,
    Other,

    /// <summary>Only in a list of things to check: the path must not exist.</summary>
    Absent,
}

/// <summary>One entry of a tree, relative to its root ('/'-separated).</summary>
internal sealed record TreeEntry(string Path, EntryKind Kind, long Size, long ModifiedTicks, string? LinkTarget)
{
    public override string ToString() => Kind switch
    {
        EntryKind.File => $"file {Size} bytes, mtime {new DateTime(ModifiedTicks, DateTimeKind.Utc):O}",
        EntryKind.Symlink => $"symlink -> {LinkTarget}",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// What a tree holds: every entry below a root (not the root itself), parents before children, names in ordinal
/// order. Symlinks are entries, never followed. "Equal" means the same paths, types, file sizes and mtimes and
/// symlink targets (plus, in <see cref="Differences"/> with content, the same bytes). Permissions and owners are not
/// compared: lsyncd's default.rsync (-tsl) does not preserve them, and "identical" is about what a reader sees.
/// </summary>
internal sealed class TreeSnapshot
{
    private static readonly EnumerationOptions s_children = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    private readonly Dictionary<string, TreeEntry> _byPath;

    public TreeSnapshot(IEnumerable<TreeEntry> entries)
    {
        Entries = [.. entries];
        _byPath = new Dictionary<string, TreeEntry>(Entries.Count, StringComparer.Ordinal);
        foreach (TreeEntry entry in Entries)
        {
            _byPath[entry.Path] = entry;
        }
    }

    public IReadOnlyList<TreeEntry> Entries { get; }

    public int Count => Entries.Count;

    public int FileCount => Entries.Count(e => e.Kind == EntryKind.File);

    public int DirectoryCount => Entries.Count(e => e.Kind == EntryKind.Directory);

    public bool TryGet(string path, out TreeEntry? entry) => _byPath.TryGetValue(path, out entry);

    /// <summary>Reads the tree below <paramref name="root"/>; entries are prefixed with <paramref name="prefix"/>.</summary>
    public static TreeSnapshot Read(string root, string prefix = "")
    {
        var entries = new List<TreeEntry>();
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((root, prefix.TrimEnd('/')));
        while (pending.Count > 0)
        {
            (string full, string relative) = pending.Pop();
            List<TreeEntry> children;
            try
            {
                children = [.. new FileSystemEnumerable<TreeEntry>(full, (ref FileSystemEntry e) => Describe(ref e, relative), s_children)];
            }
            catch (DirectoryNotFoundException)
            {
                continue; // vanished while we walked: the caller compares again
            }

            children.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
            var directories = new List<TreeEntry>();
            foreach (TreeEntry child in children)
            {
                TreeEntry entry = child;
                if (child.Kind == EntryKind.Symlink)
                {
                    entry = child with { LinkTarget = LinkTargetOf(Path.Combine(full, Name(child.Path))) };
                }

                entries.Add(entry);
                if (entry.Kind == EntryKind.Directory)
                {
                    directories.Add(entry);
                }
            }

            // Depth first, in name order; the entry list above already holds parents before their children.
            for (int i = directories.Count - 1; i >= 0; i--)
            {
                pending.Push((Path.Combine(full, Name(directories[i].Path)), directories[i].Path));
            }
        }

        return new TreeSnapshot(entries);
    }

    /// <summary>Whether the target holds <paramref name="expected"/> as described (one lstat, no content read).</summary>
    public static bool Matches(string targetRoot, TreeEntry expected, bool compareModified)
    {
        var info = new FileInfo(Path.Combine(targetRoot, expected.Path));
        var attributes = (int)info.Attributes == -1 ? (FileAttributes?)null : info.Attributes;
        if (expected.Kind == EntryKind.Absent)
        {
            return attributes is null;
        }

        if (attributes is not { } a)
        {
            return false;
        }

        bool isLink = (a & FileAttributes.ReparsePoint) != 0;
        return expected.Kind switch
        {
            EntryKind.Directory => !isLink && (a & FileAttributes.Directory) != 0,
            EntryKind.Symlink => isLink && info.LinkTarget == expected.LinkTarget,
            EntryKind.File => !isLink && (a & FileAttributes.Directory) == 0 && info.Length == expected.Size
                && (!compareModified || info.LastWriteTimeUtc.Ticks == expected.ModifiedTicks),
            _ => !isLink,
        };
    }

    /// <summary>
    /// What in <paramref name="actual"/> is not as in this snapshot: the expected entries that are missing or
    /// different, and an <see cref="EntryKind.Absent"/> entry for each extra path.
    /// </summary>
    public List<TreeEntry> Mismatches(TreeSnapshot actual, bool compareModified)
    {
        var result = new List<TreeEntry>();
        foreach (TreeEntry entry in Entries)
        {
            if (!actual.TryGet(entry.Path, out TreeEntry? other) || !Same(entry, other!, compareModified))
            {
                result.Add(entry);
            }
        }

        foreach (TreeEntry extra in actual.Entries)
        {
            if (!_byPath.ContainsKey(extra.Path))
            {
                result.Add(new TreeEntry(extra.Path, EntryKind.Absent, 0, 0, null));
            }
        }

        return result;
    }

    /// <summary>
    /// The differences between the tree at <paramref name="sourceRoot"/> and at <paramref name="targetRoot"/>, as
    /// readable lines (at most <paramref name="limit"/>), file contents included. Empty when they are equal.
    /// </summary>
    public static List<string> Differences(string sourceRoot, string targetRoot, int limit = 10)
    {
        TreeSnapshot source = Read(sourceRoot);
        TreeSnapshot target = Read(targetRoot);
        var differences = new List<string>();
        foreach (TreeEntry entry in source.Entries)
        {
            if (differences.Count >= limit)
            {
                break;
            }

            if (!target.TryGet(entry.Path, out TreeEntry? other))
            {
                differences.Add($"missing {entry.Path} ({entry})");
            }
            else if (!Same(entry, other!, compareModified: true))
            {
                differences.Add($"different {entry.Path}: source {entry}, target {other}");
            }
            else if (entry.Kind == EntryKind.File && !SameBytes(Path.Combine(sourceRoot, entry.Path), Path.Combine(targetRoot, entry.Path)))
            {
                differences.Add($"different content {entry.Path}");
            }
        }

        foreach (TreeEntry extra in target.Entries)
        {
            if (differences.Count >= limit)
            {
                break;
            }

            if (!source.TryGet(extra.Path, out _))
            {
                differences.Add($"extra {extra.Path} ({extra})");
            }
        }

        return differences;
    }

    private static bool Same(TreeEntry expected, TreeEntry actual, bool compareModified) =>
        expected.Kind == actual.Kind && expected.Kind switch
        {
            EntryKind.File => expected.Size == actual.Size && (!compareModified || expected.ModifiedTicks == actual.ModifiedTicks),
            EntryKind.Symlink => expected.LinkTarget == actual.LinkTarget,
            _ => true,
        };

    private static bool SameBytes(string a, string b)
    {
        try
        {
            using var first = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            using var second = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            if (first.Length != second.Length)
            {
                return false;
            }

            var x = new byte[64 * 1024];
            var y = new byte[64 * 1024];
            while (true)
            {
                int read = first.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
                int other = second.ReadAtLeast(y, read, throwOnEndOfStream: false);
                if (read != other || !x.AsSpan(0, read).SequenceEqual(y.AsSpan(0, other)))
                {
                    return false;
                }

                if (read < x.Length)
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static TreeEntry Describe(ref FileSystemEntry entry, string parent)
    {
        string name = entry.FileName.ToString();
        string path = parent.Length == 0 ? name : string.Concat(parent, "/", name);
        FileAttributes attributes = entry.Attributes;
        if ((attributes & FileAttributes.ReparsePoint) != 0)
        {
            return new TreeEntry(path, EntryKind.Symlink, 0, 0, null);
        }

        if (entry.IsDirectory)
        {
            return new TreeEntry(path, EntryKind.Directory, 0, 0, null);
        }

        return new TreeEntry(path, EntryKind.File, entry.Length, entry.LastWriteTimeUtc.UtcTicks, null);
    }

    private static string? LinkTargetOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Name(string relative) => relative[(relative.LastIndexOf('/') + 1)..];
}
