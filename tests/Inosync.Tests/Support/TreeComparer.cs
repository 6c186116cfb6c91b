using System.Security.Cryptography;
using Xunit.Sdk;

namespace Inosync.Tests.Support;

/// <summary>Compares two directory trees: relative paths, type, size, content (SHA-256), mode, symlink target.</summary>
public static class TreeComparer
{
    private const int DifferencesShown = 20;

    /// <summary>Every difference between the trees under <paramref name="expectedRoot"/> and <paramref name="actualRoot"/>, or none.</summary>
    public static IReadOnlyList<string> Compare(string expectedRoot, string actualRoot)
    {
        var expected = Scan(expectedRoot);
        var actual = Scan(actualRoot);
        var differences = new List<string>();
        foreach (var (path, entry) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(path, out var other))
            {
                differences.Add($"missing: {Show(path)} ({entry.Type})");
            }
            else if (entry != other)
            {
                differences.Add($"differs: {Show(path)}: expected {entry}, actual {other}");
            }
        }

        foreach (var path in actual.Keys.Where(p => !expected.ContainsKey(p)).OrderBy(p => p, StringComparer.Ordinal))
        {
            differences.Add($"extra: {Show(path)} ({actual[path].Type})");
        }

        return differences;
    }

    /// <summary>Fails with the first differences when the trees differ.</summary>
    public static void AssertEqual(string expectedRoot, string actualRoot)
    {
        var differences = Compare(expectedRoot, actualRoot);
        if (differences.Count > 0)
        {
            throw new XunitException(
                $"{differences.Count} differences between {expectedRoot} and {actualRoot}:\n  "
                + string.Join("\n  ", differences.Take(DifferencesShown))
                + (differences.Count > DifferencesShown ? "\n  …" : ""));
        }
    }

    private static Dictionary<string, Entry> Scan(string root)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        Walk(new DirectoryInfo(root), "", entries);
        return entries;
    }

    private static void Walk(DirectoryInfo directory, string prefix, Dictionary<string, Entry> entries)
    {
        foreach (var info in directory.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false }))
        {
            var path = prefix + info.Name;
            if (info.LinkTarget is { } target)
            {
                entries[path] = new Entry("symlink", 0, "", 0, target);
            }
            else if (info is DirectoryInfo sub)
            {
                entries[path] = new Entry("directory", 0, "", sub.UnixFileMode, null);
                Walk(sub, path + "/", entries);
            }
            else if (info is FileInfo file && (file.Attributes & FileAttributes.Device) == 0)
            {
                entries[path] = new Entry("file", file.Length, Hash(file), file.UnixFileMode, null);
            }
            else
            {
                entries[path] = new Entry("special", 0, "", info.UnixFileMode, null);
            }
        }
    }

    private static string Hash(FileInfo file)
    {
        try
        {
            using var stream = file.OpenRead();
            return Convert.ToHexString(SHA256.HashData(stream))[..16];
        }
        catch (UnauthorizedAccessException)
        {
            return "(unreadable)";
        }
    }

    private static string Show(string path) => path.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);

    private sealed record Entry(string Type, long Size, string Sha256, UnixFileMode Mode, string? LinkTarget)
    {
        public override string ToString() => LinkTarget is null
            ? $"{Type} size {Size} sha {Sha256} mode {Convert.ToString((int)Mode, 8)}"
            : $"{Type} -> {LinkTarget}";
    }
}
