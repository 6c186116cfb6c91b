namespace Inosync.Transfer;

/// <summary>Reads what lftp's <c>find "DIR"</c> printed: one path per line, "DIR/…", directories with a trailing '/'.</summary>
internal static class RemoteListing
{
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
