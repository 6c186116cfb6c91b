using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>open(2) for a file that must be a regular file, with one table of what went wrong.</summary>
[SupportedOSPlatform("linux")]
internal static class UnixFile
{
    /// <summary>
    /// Opens <paramref name="path"/> (always close-on-exec) and checks on the open descriptor that it is a regular
    /// file, so a swap between a check and the use cannot slip a device or a FIFO in.
    /// </summary>
    /// <exception cref="IOException">It cannot be opened, or is not a regular file; the message says why, for a sysadmin.</exception>
    public static (SafeFileHandle File, UnixFileStatus Status) OpenRegular(string path, int flags, UnixFileMode mode)
    {
        SafeFileHandle file = Interop.Libc.Open(path, flags | Interop.Libc.O_CLOEXEC, (uint)mode);
        if (file.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            file.Dispose();
            throw new IOException(errno switch
            {
                Interop.Errno.ENOENT or Interop.Errno.ENOTDIR => "no such file or directory",
                Interop.Errno.EACCES => "permission denied",
                Interop.Errno.EISDIR => "it is a directory",
                Interop.Errno.ELOOP => "it is a symbolic link, which inosync does not follow for the files it writes",
                _ => Marshal.GetPInvokeErrorMessage(errno),
            });
        }

        UnixFileStatus status = UnixFileStatus.Of(file);
        if (!status.IsRegularFile)
        {
            file.Dispose();
            throw new IOException(status.NotRegularReason());
        }

        return (file, status);
    }
}
