using System.Runtime.Versioning;
using Inosync.Files;
using Inosync.Filtering;
using Inosync.Watching.Inotify;

namespace Inosync.Transfer;

/// <summary>
/// What the sync's filter rules exclude below one directory, on either side, as the literal paths lftp's mirror is told
/// to leave alone (<c>-x</c>). lftp has its own pattern language, not rsync's, so the rules are never translated: they
/// are applied here, by the same <see cref="PathFilter"/> as everywhere else, to the source tree and to the server's
/// listing, and only the topmost excluded paths are passed on. Excluded on the source: not sent; excluded on the
/// server: not deleted (rsync's protection, without --delete-excluded).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ExcludedPaths
{
    /// <summary>
    /// The topmost excluded paths below <paramref name="directory"/>, relative to it, directories ending in '/'.
    /// </summary>
    /// <param name="sourceRoot">The watched tree's root path ('/'-terminated).</param>
    /// <param name="directory">The mirrored directory, relative to the root ("" = the root).</param>
    /// <param name="filter">The sync's rules.</param>
    /// <param name="remote">The server's entries below the directory (relative to it, directories ending in '/').</param>
    /// <param name="recentSince">Also collect the regular files modified since then into <paramref name="recent"/>; null: none.</param>
    /// <param name="recent">Receives the recent files (relative to the directory), when asked for.</param>
    public static List<string> Find(
        string sourceRoot, string directory, PathFilter filter, IEnumerable<string> remote, DateTimeOffset? recentSince = null, List<string>? recent = null)
    {
        var excluded = new SortedSet<string>(StringComparer.Ordinal);
        if (filter.IsEmpty && recentSince is null)
        {
            return [];
        }

        WalkSource(sourceRoot, directory, filter, excluded, recentSince, recent);
        if (filter.IsEmpty)
        {
            return [];
        }

        excluded.UnionWith(RemoteListing.Topmost(remote, (relative, isDirectory) => filter.IsExcluded(WatchPaths.Join(directory, relative), isDirectory)));

        // Below an excluded directory mirror looks no further: keep the topmost only (in ordinal order a directory
        // comes right before what it holds).
        return RemoteListing.Topmost(excluded, (_, _) => true);
    }

    private static void WalkSource(
        string sourceRoot, string directory, PathFilter filter, SortedSet<string> excluded, DateTimeOffset? recentSince, List<string>? recent)
    {
        long since = recentSince is { } at ? at.ToUnixTimeMilliseconds() : long.MaxValue;
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.TryPop(out string? relative))
        {
            string full = sourceRoot + WatchPaths.Join(directory, relative);
            foreach (var (name, type) in DirectoryListing.Entries(FileNameEncoding.GetNullTerminatedBytes(full)))
            {
                string child = WatchPaths.Join(relative, name);
                bool isDirectory = type == Interop.Libc.DT_DIR
                    || (type == Interop.Libc.DT_UNKNOWN && UnixFileStatus.OfLink(full + "/" + name) is { IsDirectory: true });
                if (filter.IsExcluded(WatchPaths.Join(directory, child), isDirectory))
                {
                    excluded.Add(isDirectory ? child + "/" : child);
                }
                else if (isDirectory)
                {
                    pending.Push(child);
                }
                else if (recent is not null && type is Interop.Libc.DT_REG or Interop.Libc.DT_UNKNOWN
                    && UnixFileStatus.OfLink(full + "/" + name) is { IsRegularFile: true } file
                    && (file.ModifiedSeconds * 1000) + (file.ModifiedNanoseconds / 1_000_000) >= since)
                {
                    recent.Add(child);
                }
            }
        }
    }
}
