using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Inosync.Coalescing;

namespace Inosync.Renaming;

/// <summary>
/// Renames on a local node (a directory on this machine). Every check looks at entries themselves, never through a
/// symlink: the old name must exist with the expected type, the new name must not exist at all, and every parent
/// below the node root must be a real directory (a symlinked parent would carry the rename out of the tree).
/// </summary>
internal static class LocalRenames
{
    private enum EntryKind
    {
        Missing,
        Directory,
        Symlink,
        Other,
    }

    /// <summary>Applies one move below <paramref name="root"/>; <paramref name="detail"/> explains a failure.</summary>
    public static RenameOutcome Apply(string root, MovedPath move, out string? detail)
    {
        detail = null;
        try
        {
            if (!MovedPaths.IsRenamable(move))
            {
                return RenameOutcome.InvalidPaths;
            }

            if (MovedPaths.Parents(move).Any(parent => Kind(Path.Join(root, parent)) != EntryKind.Directory))
            {
                return RenameOutcome.ParentNotDirectory;
            }

            string source = Path.Join(root, move.From);
            string destination = Path.Join(root, move.To);
            var sourceKind = Kind(source);
            if (sourceKind == EntryKind.Missing)
            {
                return RenameOutcome.SourceMissing;
            }

            if ((sourceKind == EntryKind.Directory) != move.IsDirectory)
            {
                return RenameOutcome.TypeMismatch;
            }

            if (Kind(destination) != EntryKind.Missing)
            {
                return RenameOutcome.DestinationExists;
            }

            return OperatingSystem.IsLinux()
                ? RenameLinux(source, destination, out detail)
                : RenamePortable(source, destination, sourceKind, out detail);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            detail = ex.Message;
            return RenameOutcome.Failed;
        }
    }

    [SupportedOSPlatform("linux")]
    private static RenameOutcome RenameLinux(string source, string destination, out string? detail)
    {
        detail = null;
        if (Interop.Libc.RenameAt2(Interop.Libc.AT_FDCWD, source, Interop.Libc.AT_FDCWD, destination, Interop.Libc.RENAME_NOREPLACE) == 0)
        {
            return RenameOutcome.Renamed;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno is Interop.Errno.EINVAL or Interop.Errno.ENOSYS)
        {
            // The filesystem (or kernel) has no RENAME_NOREPLACE. We checked just now that the destination is
            // missing; a plain rename(2) leaves only the window between that check and this call.
            if (Interop.Libc.Rename(source, destination) == 0)
            {
                return RenameOutcome.Renamed;
            }

            errno = Marshal.GetLastPInvokeError();
        }

        detail = Marshal.GetPInvokeErrorMessage(errno);
        return errno switch
        {
            Interop.Errno.EEXIST or Interop.Errno.ENOTEMPTY => RenameOutcome.DestinationExists,
            Interop.Errno.ENOENT => RenameOutcome.SourceMissing,
            _ => RenameOutcome.Failed, // EXDEV (a mount below the root), EACCES, …: rsync copies it instead
        };
    }

    private static RenameOutcome RenamePortable(string source, string destination, EntryKind sourceKind, out string? detail)
    {
        detail = null;
        if (sourceKind == EntryKind.Directory)
        {
            Directory.Move(source, destination);
        }
        else
        {
            File.Move(source, destination, overwrite: false);
        }

        return RenameOutcome.Renamed;
    }

    /// <summary>What is at <paramref name="path"/> itself (lstat, not stat).</summary>
    private static EntryKind Kind(string path)
    {
        // FileSystemInfo reads attributes with lstat first: a symlink reports ReparsePoint whatever it points to, and
        // a missing entry (or one below a non-directory) reports -1.
        var attributes = new FileInfo(path).Attributes;
        if ((int)attributes == -1)
        {
            return EntryKind.Missing;
        }

        if (attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return EntryKind.Symlink;
        }

        return attributes.HasFlag(FileAttributes.Directory) ? EntryKind.Directory : EntryKind.Other;
    }
}
