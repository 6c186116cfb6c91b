using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int O_RDONLY = 0x0;
        internal const int O_WRONLY = 0x1;
        internal const int O_RDWR = 0x2;
        internal const int O_CREAT = 0x40;
        internal const int O_EXCL = 0x80;
        internal const int O_APPEND = 0x400;
        internal const int O_NONBLOCK = 0x800;
        internal const int O_NOFOLLOW = 0x20000;
        internal const int O_CLOEXEC = 0x80000;
        internal const int O_DIRECTORY = 0x10000;
        internal const int O_PATH = 0x200000;

        internal const int AT_EMPTY_PATH = 0x1000;
        internal const int AT_SYMLINK_NOFOLLOW = 0x100;
        internal const uint STATX_BASIC_STATS = 0x7FF;

        internal const int S_IFMT = 0xF000;
        internal const int S_IFREG = 0x8000;
        internal const int S_IFDIR = 0x4000;
        internal const int S_IFLNK = 0xA000;

        /// <summary>open(2) with an explicit mode, so files are created with exactly the permissions asked for.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial SafeFileHandle Open(string path, int flags, uint mode);

        /// <summary>statx(2) on a path given as its exact bytes (NUL-terminated), which file names need.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
        internal static unsafe partial int Statx(int directory, byte* path, int flags, uint mask, byte* buffer);

        /// <summary>geteuid(2): the user whose permissions the daemon (and every rsync it runs) has.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "geteuid")]
        internal static partial uint GetEffectiveUserId();

        /// <summary>statx(2) on an open descriptor (AT_EMPTY_PATH): its buffer has one layout on every architecture, unlike struct stat.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int Statx(SafeFileHandle file, string path, int flags, uint mask, byte* buffer);
    }
}
