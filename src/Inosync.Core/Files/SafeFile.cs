using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>
/// Writes the files the daemon owns (pid, status, log) without following symbolic links.
/// </summary>
/// <remarks>
/// The daemon runs as root and its files may sit in directories other users can write. A predictable temp name
/// (<c>x.PID.tmp</c>) opened with File.WriteAll* follows a symlink planted there, and root then truncates a file of
/// the planter's choosing. So temp files get random names and O_CREAT|O_EXCL|O_NOFOLLOW, and the final name is
/// replaced by rename(2), which never follows a link either. Elsewhere than Linux the plain file API is used.
/// </remarks>
internal static class SafeFile
{
    /// <summary>Writes <paramref name="bytes"/> to a fresh temp file beside <paramref name="path"/> and renames it over <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be written; the message says why.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable (elsewhere than Linux).</exception>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> bytes, UnixFileMode mode)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Join(directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (FileStream stream = OperatingSystem.IsLinux()
                ? new FileStream(OpenNoFollow(temp, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_EXCL, mode), FileAccess.Write, bufferSize: 0)
                : new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
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

    /// <summary>
    /// Opens <paramref name="path"/> for appending, creating it with <paramref name="mode"/> when missing; refuses a
    /// symbolic link, a directory and anything else that is not a regular file.
    /// </summary>
    /// <exception cref="IOException">It cannot be opened so; the message says why.</exception>
    /// <exception cref="UnauthorizedAccessException">It is not writable (elsewhere than Linux).</exception>
    public static FileStream OpenAppend(string path, UnixFileMode mode) => OperatingSystem.IsLinux()
        ? new FileStream(OpenNoFollow(path, Interop.Libc.O_WRONLY | Interop.Libc.O_CREAT | Interop.Libc.O_APPEND | Interop.Libc.O_NONBLOCK, mode), FileAccess.Write, bufferSize: 0)
        : new FileStream(path, FileMode.Append, FileAccess.Write);

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static SafeFileHandle OpenNoFollow(string path, int flags, UnixFileMode mode) =>
        UnixFile.OpenRegular(path, flags | Interop.Libc.O_NOFOLLOW, mode).File;
}
