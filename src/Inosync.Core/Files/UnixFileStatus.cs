using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>What statx(2) says of a file: its type, owner, mode and identity (device and inode).</summary>
[SupportedOSPlatform("linux")]
internal readonly record struct UnixFileStatus(int Type, uint Uid, int Permissions, long Size, ulong Device, ulong Inode)
{
    // struct statx is 256 bytes; the offsets are fixed by the kernel ABI.
    private const int BufferSize = 256;

    public bool IsRegularFile => Type == Interop.Libc.S_IFREG;

    public bool IsDirectory => Type == Interop.Libc.S_IFDIR;

    public bool IsSymbolicLink => Type == Interop.Libc.S_IFLNK;

    /// <summary>The same file: same device and inode.</summary>
    public bool IsSameFileAs(UnixFileStatus other) => Device == other.Device && Inode == other.Inode;

    /// <summary>A word for messages: "a directory", "a FIFO", …</summary>
    public string Describe() => Type switch
    {
        Interop.Libc.S_IFREG => "a regular file",
        Interop.Libc.S_IFDIR => "a directory",
        Interop.Libc.S_IFLNK => "a symbolic link",
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    /// <summary>The status of an open file.</summary>
    /// <exception cref="IOException">statx failed.</exception>
    public static unsafe UnixFileStatus Of(SafeFileHandle file)
    {
        byte* buffer = stackalloc byte[BufferSize];
        return Interop.Libc.Statx(file, "", Interop.Libc.AT_EMPTY_PATH, Interop.Libc.STATX_BASIC_STATS, buffer) == 0
            ? Read(new ReadOnlySpan<byte>(buffer, BufferSize))
            : throw Failure("the open file");
    }

    /// <summary>The status of <paramref name="path"/>, or null when it does not exist; a final symbolic link is followed only when asked.</summary>
    /// <exception cref="IOException">statx failed for another reason than a missing file.</exception>
    public static unsafe UnixFileStatus? OfPath(string path, bool followLinks)
    {
        byte* buffer = stackalloc byte[BufferSize];
        int flags = followLinks ? 0 : Interop.Libc.AT_SYMLINK_NOFOLLOW;
        if (Interop.Libc.Statx(Interop.Libc.AT_FDCWD, path, flags, Interop.Libc.STATX_BASIC_STATS, buffer) == 0)
        {
            return Read(new ReadOnlySpan<byte>(buffer, BufferSize));
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is Interop.Errno.ENOENT or Interop.Errno.ENOTDIR ? null : throw Failure(path);
    }

    private static UnixFileStatus Read(ReadOnlySpan<byte> statx)
    {
        int mode = MemoryMarshal.Read<ushort>(statx[28..]);
        ulong device = ((ulong)MemoryMarshal.Read<uint>(statx[136..]) << 32) | MemoryMarshal.Read<uint>(statx[140..]);
        return new UnixFileStatus(
            Type: mode & Interop.Libc.S_IFMT,
            Uid: MemoryMarshal.Read<uint>(statx[20..]),
            Permissions: mode & 0xFFF,
            Size: (long)MemoryMarshal.Read<ulong>(statx[40..]),
            Device: device,
            Inode: MemoryMarshal.Read<ulong>(statx[32..]));
    }

    private static IOException Failure(string what) =>
        new($"statx {what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
}
