using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>What statx(2) says of a file: its type, owner, permission bits, size, identity (device and inode) and mtime.</summary>
[SupportedOSPlatform("linux")]
internal readonly record struct UnixFileStatus(int Type, uint Uid, int Permissions, long Size, ulong Device, ulong Inode)
{
    // struct statx is 256 bytes; the offsets are fixed by the kernel ABI.
    private const int BufferSize = 256;
    private const int UidOffset = 20;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;
    private const int InodeOffset = 32;
    private const int MtimeOffset = 112; // struct statx_timestamp: s64 tv_sec, u32 tv_nsec
    private const int DeviceMajorOffset = 136;
    private const int DeviceMinorOffset = 140;

    /// <summary>The last modification: whole seconds since the epoch.</summary>
    public long ModifiedSeconds { get; init; }

    /// <summary>The last modification: the nanoseconds within <see cref="ModifiedSeconds"/>.</summary>
    public uint ModifiedNanoseconds { get; init; }

    /// <summary>The device as st_dev, ls and JOURNAL_STREAM give it: glibc's makedev() of the major and minor number.</summary>
    public ulong DeviceNumber
    {
        get
        {
            ulong major = Device >> 32;
            ulong minor = Device & 0xFFFF_FFFF;
            return ((major & 0xFFFF_F000) << 32) | ((major & 0xFFF) << 8) | ((minor & 0xFFFF_FF00) << 12) | (minor & 0xFF);
        }
    }

    public bool IsRegularFile => Type == Interop.Libc.S_IFREG;

    public bool IsDirectory => Type == Interop.Libc.S_IFDIR;

    /// <summary>The same file: same device and inode.</summary>
    public bool IsSameFileAs(UnixFileStatus other) => Device == other.Device && Inode == other.Inode;

    /// <summary>Why this is not a regular file, for messages: "it is a directory", "it is a FIFO, not a regular file", …</summary>
    public string NotRegularReason() => Type switch
    {
        Interop.Libc.S_IFDIR => "it is a directory",
        0x1000 => "it is a FIFO, not a regular file",
        0x2000 => "it is a character device, not a regular file",
        0x6000 => "it is a block device, not a regular file",
        0xC000 => "it is a socket, not a regular file",
        _ => "it is not a regular file",
    };

    /// <exception cref="IOException">statx failed.</exception>
    public static unsafe UnixFileStatus Of(SafeFileHandle file)
    {
        byte* buffer = stackalloc byte[BufferSize];
        return Interop.Libc.Statx(file, "", Interop.Libc.AT_EMPTY_PATH, Interop.Libc.STATX_BASIC_STATS, buffer) == 0
            ? Read(new ReadOnlySpan<byte>(buffer, BufferSize))
            : throw new IOException($"statx: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>The status of <paramref name="path"/> itself (a final symbolic link is not followed), or null when statx fails.</summary>
    public static UnixFileStatus? OfLink(string path) => At(path, Interop.Libc.AT_SYMLINK_NOFOLLOW);

    /// <summary>
    /// The status of what a /proc/PID/fd/N link stands for (the open file itself, whatever it is called now), or null
    /// when statx fails. Only for such links: on a path of the tree, use <see cref="OfLink"/>.
    /// </summary>
    public static UnixFileStatus? OfOpen(string descriptorLink) => At(descriptorLink, 0);

    private static unsafe UnixFileStatus? At(string path, int flags)
    {
        byte[] bytes = FileNameEncoding.GetNullTerminatedBytes(path);
        byte* buffer = stackalloc byte[BufferSize];
        fixed (byte* name = bytes)
        {
            return Interop.Libc.Statx(Interop.Libc.AT_FDCWD, name, flags, Interop.Libc.STATX_BASIC_STATS, buffer) == 0
                ? Read(new ReadOnlySpan<byte>(buffer, BufferSize))
                : null;
        }
    }

    private static UnixFileStatus Read(ReadOnlySpan<byte> statx)
    {
        int mode = MemoryMarshal.Read<ushort>(statx[ModeOffset..]);
        return new UnixFileStatus(
            Type: mode & Interop.Libc.S_IFMT,
            Uid: MemoryMarshal.Read<uint>(statx[UidOffset..]),
            Permissions: mode & 0xFFF,
            Size: (long)MemoryMarshal.Read<ulong>(statx[SizeOffset..]),
            Device: ((ulong)MemoryMarshal.Read<uint>(statx[DeviceMajorOffset..]) << 32) | MemoryMarshal.Read<uint>(statx[DeviceMinorOffset..]),
            Inode: MemoryMarshal.Read<ulong>(statx[InodeOffset..]))
        {
            ModifiedSeconds = MemoryMarshal.Read<long>(statx[MtimeOffset..]),
            ModifiedNanoseconds = MemoryMarshal.Read<uint>(statx[(MtimeOffset + 8)..]),
        };
    }
}
