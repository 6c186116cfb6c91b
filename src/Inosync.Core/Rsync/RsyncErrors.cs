namespace Inosync.Rsync;

/// <summary>Reads rsync's stderr.</summary>
internal static class RsyncErrors
{
    private const int PathsKept = 20;

    // What the sender says about a name longer than MAXPATHLEN (4096): while walking the tree, and for a listed name.
    private const string Overflow = "filename overflows max-path len by ";
    private const string TooLong = ": File name too long (36)";

    // The lines that only follow from such errors: the deletion skipped after an I/O error, and the summary.
    private const string DeletionSkipped = "IO error encountered -- skipping file deletion";
    private const string PartialSummary = "rsync error: some files/attrs were not transferred (see previous errors) (code 23)";

    /// <summary>
    /// The names rsync could not send because their path is longer than its limit (4096 bytes, the same on every
    /// side), when those are the only errors in <paramref name="stderr"/>; null when anything else went wrong too, or
    /// when nothing says so. Such a name can never be synced: retrying it would keep the node failing for ever.
    /// </summary>
    public static IReadOnlyList<string>? UnsendableNames(string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var paths = new List<string>();
        foreach (var line in stderr.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace() || line.SequenceEqual(DeletionSkipped) || line.StartsWith(PartialSummary, StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith(Overflow, StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon)
            {
                paths.Add(line[(colon + 2)..].ToString());
                continue;
            }

            int open = line.IndexOf('"');
            int close = line.LastIndexOf('"');
            if (line.StartsWith("rsync: [sender] ", StringComparison.Ordinal) && line.EndsWith(TooLong, StringComparison.Ordinal) && close > open && open >= 0)
            {
                paths.Add(line[(open + 1)..close].ToString());
                continue;
            }

            return null;
        }

        return paths.Count > 0 ? paths : null;
    }

    /// <summary>
    /// True when every error in <paramref name="stderr"/> is the sender's (<c>rsync: [sender] …</c>: the source could not
    /// be read), false when any came from the receiving side (<c>[receiver]</c>, <c>[generator]</c>, or an older
    /// remote rsync's untagged message: the node refused a write) or when there is no error line to tell by.
    /// </summary>
    public static bool OnlySourceErrors(string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var any = false;
        foreach (var line in stderr.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("rsync:", StringComparison.Ordinal))
            {
                continue; // "file has vanished: …", "rsync error: … (code 23)" and other summaries
            }

            if (!line.StartsWith("rsync: [sender]", StringComparison.Ordinal))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>
    /// The paths rsync complained about (at most 20): its per-file errors look like
    /// <c>rsync: [sender] send_files failed to open "/src/x": Permission denied (13)</c>; other <c>rsync:</c>
    /// lines are kept whole. The closing "rsync error: … (code 23)" summary is skipped.
    /// </summary>
    public static IReadOnlyList<string> FailedPaths(string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var paths = new List<string>();
        foreach (var line in stderr.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith("rsync:", StringComparison.Ordinal))
            {
                continue;
            }

            var open = line.IndexOf('"');
            var close = line.LastIndexOf("\":", StringComparison.Ordinal);
            paths.Add(open >= 0 && close > open ? line[(open + 1)..close].ToString() : line.ToString());
            if (paths.Count == PathsKept)
            {
                break;
            }
        }

        return paths;
    }
}
