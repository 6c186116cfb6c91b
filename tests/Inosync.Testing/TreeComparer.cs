using System.Security.Cryptography;
using System.Text;

namespace Inosync.Testing;

/// <summary>
/// Compares two directory trees the way a sysadmin would: relative paths, type, size, content hash, mode and
/// symlink target. Symlinks are never followed. The one helper every convergence test asserts with.
/// </summary>
public static class TreeComparer
{
    /// <summary>Reads a whole tree. Paths that vanish while reading are skipped (the tree may be changing).</summary>
    public static SortedDictionary<string, TreeEntry> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, TreeEntry>(StringComparer.Ordinal);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        };
        foreach (var info in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options))
        {
            string relative = Path.GetRelativePath(root, info.FullName).Replace('\\', '/');
            try
            {
                entries[relative] = Describe(relative, info);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Vanished between listing and reading: not part of this snapshot.
            }
        }

        return entries;
    }

    /// <summary>The differences between two trees, as readable lines; empty when they are equal.</summary>
    public static IReadOnlyList<string> Differences(string expectedRoot, string actualRoot)
    {
        var expected = Snapshot(expectedRoot);
        var actual = Snapshot(actualRoot);
        var differences = new List<string>();
        foreach (var (path, entry) in expected)
        {
            if (!actual.TryGetValue(path, out var other))
            {
                differences.Add($"missing   {Show(path)}: {entry}");
            }
            else if (entry != other)
            {
                differences.Add($"different {Show(path)}: expected {entry}, found {other}");
            }
        }

        differences.AddRange(actual.Keys.Where(p => !expected.ContainsKey(p)).Select(p => $"extra     {Show(p)}: {actual[p]}"));
        return differences;
    }

    /// <summary>Makes names with control characters readable in messages.</summary>
    public static string Show(string path)
    {
        var builder = new StringBuilder();
        foreach (char c in path)
        {
            builder.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }

        return builder.ToString();
    }

    private static TreeEntry Describe(string relative, FileSystemInfo info)
    {
        if (info.LinkTarget is { } target)
        {
            return new TreeEntry(relative, TreeEntryKind.Symlink, 0, "", 0, target);
        }

        UnixFileMode mode = info.UnixFileMode;
        if (info is DirectoryInfo)
        {
            return new TreeEntry(relative, TreeEntryKind.Directory, 0, "", mode, null);
        }

        var file = (FileInfo)info;
        if (file.Attributes.HasFlag(FileAttributes.Device))
        {
            return new TreeEntry(relative, TreeEntryKind.Other, 0, "", mode, null);
        }

        using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        string hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new TreeEntry(relative, TreeEntryKind.File, stream.Length, hash, mode, null);
    }
}
