namespace Inosync.Transfer;

/// <summary>Reads what lftp's <c>find "DIR"</c> printed: one path per line, "DIR/…", directories with a trailing '/'.</summary>
internal static class RemoteListing
{
    /// <summary>
    /// The entries <paramref name="pick"/> (relative path, is a directory) picks, leaving out those below a directory
    /// already picked: what is done to a directory is done to all it holds. Entries as <see cref="Below"/> gives them
    /// (directories ending in '/', each before what it holds).
    /// </summary>
    public static List<string> Topmost(IEnumerable<string> entries, Func<string, bool, bool> pick)
    {
        var picked = new List<string>();
        foreach (string entry in entries)
        {
            bool isDirectory = entry.EndsWith('/');
            string relative = isDirectory ? entry[..^1] : entry;
            if (relative.Length > 0
                && !picked.Exists(p => p.EndsWith('/') && entry.StartsWith(p, StringComparison.Ordinal))
                && pick(relative, isDirectory))
            {
                picked.Add(entry);
            }
        }

        return picked;
    }

    /// <summary>The entries below <paramref name="directory"/>, relative to it (directories ending in '/'); lines that do not
    /// start with it (another directory's, or a name with a line break cut in two) are skipped.</summary>
    public static List<string> Below(string output, string directory)
    {
        string prefix = directory.EndsWith('/') ? directory : directory + "/";
        var entries = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            if (line.Length > prefix.Length && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                entries.Add(line[prefix.Length..]);
            }
        }

        return entries;
    }
}
