using Inosync.Coalescing;
using Inosync.Files;

namespace Inosync.Rsync;

/// <summary>
/// Whether a batch may go out as a file list (rsync --files-from) without rsync ever reading outside the tree.
/// </summary>
/// <remarks>
/// With a file list the sender stats each listed path from wpath, following every directory on the way: a user who
/// can rename inside the tree can swap a listed file's parent for a symlink to /etc between the event and rsync's
/// stat, and the real /etc/passwd lands on the node. The include-list shape walks from the root with lstat and
/// sends such a link as a link. So a file list is used only where nobody but inosync's own user can swap anything on
/// the way: wpath and every directory down to each listed name's parent must be a real directory owned by the
/// daemon's user and writable by no group or other. Nobody else can change that, so the check cannot be raced.
/// </remarks>
internal static class FileListSafety
{
    private const int GroupOrOtherWrite = 0x12; // S_IWGRP | S_IWOTH

    public static bool Allows(SyncBatch batch, string watchPath)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        uint us = Interop.Libc.GetEffectiveUserId();
        var checkedDirectories = new HashSet<string>(StringComparer.Ordinal);
        bool IsPrivate(string relative) =>
            !checkedDirectories.Add(relative)
            || UnixFileStatus.OfLink(relative.Length == 0 ? watchPath : Path.Join(watchPath, relative)) is { IsDirectory: true } status
               && status.Uid == us && (status.Permissions & GroupOrOtherWrite) == 0;

        if (!IsPrivate(""))
        {
            return false;
        }

        foreach (DirectoryJob job in batch.Jobs)
        {
            for (int slash = job.Directory.IndexOf('/', StringComparison.Ordinal); ; slash = job.Directory.IndexOf('/', slash + 1))
            {
                if (!IsPrivate(slash < 0 ? job.Directory : job.Directory[..slash]))
                {
                    return false;
                }

                if (slash < 0)
                {
                    break;
                }
            }
        }

        return true;
    }
}
