namespace Inosync.Syncing;

/// <summary>Reads rsync's stderr.</summary>
internal static class RsyncErrors
{
    private const int PathsKept = 20;

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
