using System.Globalization;
using System.Security.Cryptography;

namespace Inosync.Testing.RawFiles;

/// <summary>One entry of a byte-exact snapshot.</summary>
/// <param name="Kind">Directory, file, symlink (never followed) or other.</param>
/// <param name="Size">File size in bytes (0 otherwise).</param>
/// <param name="Hash">SHA-256 of a file's content, hex (empty otherwise).</param>
/// <param name="Mode">Permission bits including setuid/setgid/sticky (files and directories; 0 for symlinks).</param>
/// <param name="LinkTarget">A symlink's target, as a <see cref="RawName"/> string.</param>
/// <param name="MTime">A file's modification time in nanoseconds since the epoch, when times are compared; else 0.</param>
public sealed record ExactEntry(TreeEntryKind Kind, long Size, string Hash, int Mode, string? LinkTarget, long MTime)
{
    public override string ToString() => Kind switch
    {
        TreeEntryKind.File => string.Create(CultureInfo.InvariantCulture, $"file {Size} B {Hash[..12]} {Convert.ToString(Mode, 8)}{(MTime == 0 ? "" : $" mtime {MTime / 1_000_000_000}.{MTime % 1_000_000_000:D9}")}"),
        TreeEntryKind.Directory => $"dir {Convert.ToString(Mode, 8)}",
        TreeEntryKind.Symlink => $"symlink -> {RawName.Show(LinkTarget ?? "")}",
        _ => "other",
    };
}

/// <summary>
/// Compares trees byte for byte: names are read as bytes (<see cref="RawName"/>), so a name that is not valid UTF-8,
/// or the NFC and NFD spellings of one word, are told apart exactly. Per entry: relative path, type, size, SHA-256 of
/// the content, permission bits, symlink target, and optionally a file's modification time. The root itself is the
/// entry "" (its mode counts too).
/// </summary>
public static class ExactTreeComparer
{
    /// <summary>Reads a whole tree. Entries that vanish while it is read are left out (the tree may be changing).</summary>
    /// <param name="root">The tree's root directory.</param>
    /// <param name="fileTimes">Also record each regular file's modification time (to the nanosecond).</param>
    public static SortedDictionary<string, ExactEntry> Snapshot(string root, bool fileTimes = false)
    {
        var entries = new SortedDictionary<string, ExactEntry>(StringComparer.Ordinal);
        if (Describe(root, fileTimes: false) is { } top)
        {
            entries[""] = top; // the root's own mode is part of the tree
        }

        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            string relative = pending.Pop();
            foreach (string name in RawFileSystem.List(Join(root, relative)))
            {
                string path = relative.Length == 0 ? name : relative + "/" + name;
                if (Describe(Join(root, path), fileTimes) is { } entry)
                {
                    entries[path] = entry;
                    if (entry.Kind == TreeEntryKind.Directory)
                    {
                        pending.Push(path);
                    }
                }
            }
        }

        return entries;
    }

    /// <summary>The differences between two trees as readable lines ("missing", "different", "extra"); empty when equal.</summary>
    public static IReadOnlyList<string> Differences(string expectedRoot, string actualRoot, bool fileTimes = false) =>
        Differences(Snapshot(expectedRoot, fileTimes), Snapshot(actualRoot, fileTimes));

    public static IReadOnlyList<string> Differences(SortedDictionary<string, ExactEntry> expected, SortedDictionary<string, ExactEntry> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        foreach (var (path, entry) in expected)
        {
            if (!actual.TryGetValue(path, out var other))
            {
                differences.Add($"missing   {ShowPath(path)}: {entry}");
            }
            else if (entry != other)
            {
                differences.Add($"different {ShowPath(path)}: expected {entry}, found {other}");
            }
        }

        foreach (var (path, entry) in actual)
        {
            if (!expected.ContainsKey(path))
            {
                differences.Add($"extra     {ShowPath(path)}: {entry}");
            }
        }

        return differences;
    }

    private static ExactEntry? Describe(string path, bool fileTimes)
    {
        if (RawFileSystem.Stat(path) is not { } stat)
        {
            return null;
        }

        switch (stat.Kind)
        {
            case TreeEntryKind.Directory:
                return new ExactEntry(TreeEntryKind.Directory, 0, "", stat.Mode, null, 0);
            case TreeEntryKind.Symlink:
                try
                {
                    return new ExactEntry(TreeEntryKind.Symlink, 0, "", 0, RawFileSystem.ReadLink(path), 0);
                }
                catch (IOException)
                {
                    return null; // replaced or removed meanwhile
                }

            case TreeEntryKind.File:
                try
                {
                    using FileStream stream = RawFileSystem.OpenRead(path);
                    string hash = Convert.ToHexStringLower(SHA256.HashData(stream));
                    long mtime = fileTimes ? (stat.MTimeSeconds * 1_000_000_000) + stat.MTimeNanoseconds : 0;
                    return new ExactEntry(TreeEntryKind.File, stream.Length, hash, stat.Mode, null, mtime);
                }
                catch (IOException)
                {
                    return null;
                }

            default:
                return new ExactEntry(TreeEntryKind.Other, 0, "", stat.Mode, null, 0);
        }
    }

    private static string ShowPath(string path) => path.Length == 0 ? "." : RawName.Show(path);

    private static string Join(string root, string relative) => relative.Length == 0 ? root : root + "/" + relative;
}
