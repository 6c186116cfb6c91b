using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>Reads a file that must be a regular file of bounded size (the configuration).</summary>
/// <remarks>
/// Opened with O_NONBLOCK so that a FIFO cannot hang the daemon, then checked on the open descriptor, so a swap
/// between the check and the read cannot slip a device in: <c>-c /dev/zero</c> once read 4.2 GB.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class BoundedFile
{
    /// <exception cref="IOException">The file is missing, unreadable, not a regular file, or larger than <paramref name="maxBytes"/>; the message says which.</exception>
    public static byte[] ReadAllBytes(string path, int maxBytes)
    {
        (SafeFileHandle file, UnixFileStatus status) = UnixFile.OpenRegular(path, Interop.Libc.O_RDONLY | Interop.Libc.O_NONBLOCK, 0);
        using var stream = new FileStream(file, FileAccess.Read, bufferSize: 0);
        if (status.Size > maxBytes)
        {
            throw new IOException($"it is larger than {maxBytes / 1024} KiB ({status.Size} bytes)");
        }

        // The size can grow between fstat and read: read one byte more than allowed to notice.
        var buffer = new byte[maxBytes + 1];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return total > maxBytes
            ? throw new IOException($"it is larger than {maxBytes / 1024} KiB")
            : buffer[..total];
    }
}
