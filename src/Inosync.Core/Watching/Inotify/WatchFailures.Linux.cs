using System.Runtime.Versioning;
using Inosync.Filtering;
using System.Runtime.InteropServices;
using Serilog;

namespace Inosync.Watching.Inotify;

/// <summary>
/// What a failed inotify_add_watch means for the <see cref="WatchTree"/>: a directory gone (or a stale path) is a
/// change, not an error; the watch limit is fatal during the start-up walk and otherwise leaves the directory
/// unwatched and rescanned on every change next to it; the root failing is fatal. Warns once about the limit, and once
/// per directory that cannot be watched for another reason.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class WatchFailures(string root, PathFilter filter, Action<string> rescan, ILogger log)
{
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private bool _limitWarned;

    /// <param name="path">The directory (relative to the root; "" for the root).</param>
    /// <param name="parent">Its watched parent; null for the root.</param>
    /// <param name="errno">Why the watch failed.</param>
    /// <param name="startup">During the start-up walk: nothing is rescanned (the initial sync covers it), a limit is fatal.</param>
    /// <exception cref="WatchLimitException">The limit is reached at start-up, or for the root.</exception>
    /// <exception cref="IOException">The root cannot be watched.</exception>
    public WatchOutcome Handle(string path, WatchedDirectory? parent, int errno, bool startup)
    {
        string name = WatchPaths.NameOf(path);
        if (errno is Interop.Errno.ENOENT or Interop.Errno.ENOTDIR)
        {
            // Gone, replaced by a file, or a symlink (IN_DONT_FOLLOW | IN_ONLYDIR): a change, not an error. Or our path is
            // stale because an ancestor moved: then only that move's events follow, and they retry it.
            if (parent is not null)
            {
                (parent.Missed ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }

            return WatchOutcome.Vanished;
        }

        if (parent is null)
        {
            // The root itself: nothing to fall back on.
            throw errno == Interop.Errno.ENOSPC
                ? new WatchLimitException(InotifyLimits.WatchLimitMessage(root, WatchedTree.CountDirectories(root, filter)))
                : new IOException($"Cannot watch '{root}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        if (errno == Interop.Errno.ENOSPC)
        {
            if (startup)
            {
                throw new WatchLimitException(InotifyLimits.WatchLimitMessage(root, WatchedTree.CountDirectories(root, filter)));
            }

            LimitReached(path);
        }
        else if (_warned.Add(path))
        {
            log.Warning("Cannot watch {Path} under {Root} ({Reason}); it is rescanned on every change next to it", path, root, Marshal.GetPInvokeErrorMessage(errno));
        }

        (parent.Unwatched ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        if (!startup)
        {
            rescan(path);
        }

        return WatchOutcome.Unwatchable;
    }

    private void LimitReached(string path)
    {
        if (_limitWarned)
        {
            log.Debug("Watch limit: {Path} under {Root} is not watched", path, root);
            return;
        }

        _limitWarned = true;
        long? limit = InotifyLimits.Read(InotifyLimits.MaxUserWatches);
        log.Warning(
            "The inotify watch limit is reached (fs.inotify.max_user_watches is {Limit}): {Path} under {Root} is not watched and is rescanned on every change next to it. Raise the limit: sudo sysctl fs.inotify.max_user_watches={Suggested}",
            limit,
            path,
            root,
            Math.Max(2 * (limit ?? 8192), 524288));
    }
}
