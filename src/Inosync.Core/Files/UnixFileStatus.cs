using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>What statx(2) says of an open file: its type and size.</summary>
[SupportedOSPlatform("linux")]
internal readonly record struct UnixFileStatus(int Type, long Size)
{
    // struct statx is 256 bytes; the offsets are fixed by the kernel ABI.
    private const int BufferSize = 256;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;

    public bool IsRegularFile => Type == Interop.Libc.S_IFREG;

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
        if (Interop.Libc.Statx(file, "", Interop.Libc.AT_EMPTY_PATH, Interop.Libc.STATX_BASIC_STATS, buffer) != 0)
        {
            throw new IOException($"statx: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var statx = new ReadOnlySpan<byte>(buffer, BufferSize);
        return new UnixFileStatus(
            Type: MemoryMarshal.Read<ushort>(statx[ModeOffset..]) & Interop.Libc.S_IFMT,
            Size: (long)MemoryMarshal.Read<ulong>(statx[SizeOffset..]));
    }
}
