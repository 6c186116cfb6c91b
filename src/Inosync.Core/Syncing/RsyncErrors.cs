namespace Inosync.Syncing;

/// <summary>Reads rsync's stderr.</summary>
internal static class RsyncErrors
{
    private const int PathsKept = 20;

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
