using System.Globalization;
using Serilog;

namespace Inosync.Nodes;

/// <summary>
/// Paths that can never be sent to a node (longer than rsync's 4096-byte limit; for lftp nodes, a name the server or
/// the script cannot take): each is logged once, and a warning
/// for the status says how many there are while any is known. Loop-only state of one worker.
/// </summary>
internal sealed class UnsendablePaths(string node, ILogger log)
{
    private const int MaxRemembered = 1000;

    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

    /// <summary>Logs the paths not seen before (shown relative to <paramref name="source"/>) and returns the status warning.</summary>
    /// <param name="paths">The paths, as the client named them.</param>
    /// <param name="source">The prefix to strip.</param>
    /// <param name="reason">Why they cannot be sent; null: rsync's path length limit.</param>
    public string Report(IReadOnlyList<string> paths, string source, string? reason = null)
    {
        foreach (string path in paths)
        {
            string relative = path.StartsWith(source, StringComparison.Ordinal) ? path[source.Length..] : path;
            if (_paths.Count >= MaxRemembered || !_paths.Add(relative))
            {
                continue;
            }

            if (reason is not null)
            {
                log.Warning("{Path} cannot be synced to {Node}: {Reason:l}. Everything else is synced", Abbreviate(relative), node, reason);
            }
            else
            {
                log.Warning("{Path} cannot be synced to {Node}: its path is longer than rsync's limit of 4096 bytes (PATH_MAX). Everything else is synced; while it exists, full syncs delete nothing on the node",
                    Abbreviate(relative), node);
            }
        }

        if (reason is not null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{_paths.Count}{(_paths.Count == MaxRemembered ? " or more" : "")} paths cannot be synced (first: {Abbreviate(FileNameEncoding.ForDisplay(_paths.First()))}): {reason}");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{_paths.Count}{(_paths.Count == MaxRemembered ? " or more" : "")} paths longer than 4096 bytes cannot be synced (first: {Abbreviate(FileNameEncoding.ForDisplay(_paths.First()))}); full syncs delete nothing while they exist");
    }

    /// <summary>Forgets every path (a clean full sync saw none); true when there were some.</summary>
    public bool Clear()
    {
        bool any = _paths.Count > 0;
        _paths.Clear();
        return any;
    }

    /// <summary>A path of thousands of bytes, cut to its start and end for one log line.</summary>
    private static string Abbreviate(string path) => path.Length <= 120 ? path : string.Concat(path.AsSpan(0, 60), "…", path.AsSpan(path.Length - 59));
}
