using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>
/// Creates the files the daemon writes (pid, status, log) without following symbolic links.
/// </summary>
/// <remarks>
/// The daemon runs as root and its files may sit in directories other users can write. A predictable temp name
/// (<c>x.PID.tmp</c>) opened with File.WriteAll* follows a symlink planted there, and root then truncates a file of
/// the planter's choosing. So temp files get random names and O_CREAT|O_EXCL|O_NOFOLLOW, and the final name is
/// replaced by rename(2), which never follows a link either.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class SafeFile
{
    private const int ELOOP = 40;
    private const int EISDIR = 21;

    /// <summary>Writes <paramref name="bytes"/> to a fresh temp file beside <paramref name="path"/> and renames it over <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be written; the message says why.</exception>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes, UnixFileMode mode)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Join(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (var stream = new FileStream(CreateNew(temp, mode), FileAccess.Write, bufferSize: 0))
            {
                stream.Write(bytes);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Creates a file that must not exist yet (O_EXCL), never through a symbolic link.</summary>
    /// <exception cref="IOException">It exists, is a link, or cannot be created.</exception>
    public static SafeFileHandle CreateNew(string path, UnixFileMode mode) =>
        Open(path, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_EXCL, mode);

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it with <paramref name="mode"/> when missing; refuses a
    /// symbolic link, a directory and anything else that is not a regular file.
    /// </summary>
    /// <exception cref="IOException">It cannot be opened so; the message says why.</exception>
    public static SafeFileHandle OpenForAppend(string path, UnixFileMode mode)
    {
        SafeFileHandle file = Open(path, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_APPEND | Interop.Libc.O_NONBLOCK, mode);
        UnixFileStatus status = UnixFileStatus.Of(file);
        if (!status.IsRegularFile)
        {
            file.Dispose();
            throw new IOException($"it is {status.Describe()}, not a regular file");
        }

        return file;
    }

    private static SafeFileHandle Open(string path, int flags, UnixFileMode mode)
    {
        SafeFileHandle file = Interop.Libc.Open(path, flags | Interop.Libc.O_NOFOLLOW | Interop.Libc.O_CLOEXEC, (uint)mode);
        if (!file.IsInvalid)
        {
            return file;
        }

        int errno = Marshal.GetLastPInvokeError();
        file.Dispose();
        throw new IOException(errno switch
        {
            ELOOP => "it is a symbolic link, which inosync does not follow for the files it writes",
            EISDIR => "it is a directory",
            Interop.Errno.EACCES => "permission denied",
            _ => Marshal.GetPInvokeErrorMessage(errno),
        });
    }
}
