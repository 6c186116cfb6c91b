using System.Runtime.InteropServices;

namespace Inosync.Testing.RawFiles;

/// <summary>
/// File-system calls on byte paths (NUL-terminated, never decoded): .NET strings cannot name a file whose name is not
/// valid UTF-8, so the churn workload and the byte-exact comparer go through these. Linux glibc/musl, 64-bit.
/// </summary>
internal static unsafe partial class Interop
{
    internal static partial class Libc
    {
        internal const int O_RDONLY = 0x0;
        internal const int O_WRONLY = 0x1;
        internal const int O_CREAT = 0x40;
        internal const int O_TRUNC = 0x200;
        internal const int O_APPEND = 0x400;
        internal const int O_CLOEXEC = 0x80000;

        // O_NOFOLLOW and O_DIRECTORY differ between architectures (x86-64 vs arm64); the callers check the type with
        // statx first instead, and a race with the workload only makes an entry "vanished".
        internal const int AT_FDCWD = -100;
        internal const int AT_SYMLINK_NOFOLLOW = 0x100;
        internal const int AT_EMPTY_PATH = 0x1000;
        internal const uint STATX_BASIC_STATS = 0x7ff;

        internal const long UTIME_NOW = (1L << 30) - 1;
        internal const long UTIME_OMIT = (1L << 30) - 2;

        internal const int S_IFMT = 0xF000;
        internal const int S_IFDIR = 0x4000;
        internal const int S_IFREG = 0x8000;
        internal const int S_IFLNK = 0xA000;

        /// <summary>open(2) with the mode argument always passed (the variadic slot reads it only with O_CREAT).</summary>
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
        internal static partial int Open(byte* path, int flags, int mode);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);

        [LibraryImport("libc", EntryPoint = "truncate", SetLastError = true)]
        internal static partial int Truncate(byte* path, long length);

        /// <summary>FS_IOC_GETFLAGS / FS_IOC_SETFLAGS (linux/fs.h, 64-bit): the flags chattr(1) sets; the kernel reads an int.</summary>
        internal const nuint FS_IOC_GETFLAGS = 0x80086601;
        internal const nuint FS_IOC_SETFLAGS = 0x40086602;
        internal const int FS_IMMUTABLE_FL = 0x10;

        [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int Ioctl(int fd, nuint request, int* argument);

        [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true)]
        internal static partial int Mkdir(byte* path, int mode);

        [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true)]
        internal static partial int Rmdir(byte* path);

        [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
        internal static partial int Unlink(byte* path);

        [LibraryImport("libc", EntryPoint = "rename", SetLastError = true)]
        internal static partial int Rename(byte* oldPath, byte* newPath);

        [LibraryImport("libc", EntryPoint = "symlink", SetLastError = true)]
        internal static partial int Symlink(byte* target, byte* linkPath);

        [LibraryImport("libc", EntryPoint = "link", SetLastError = true)]
        internal static partial int Link(byte* oldPath, byte* newPath);

        [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true)]
        internal static partial int Chmod(byte* path, int mode);

        [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true)]
        internal static partial int Utimensat(int directory, byte* path, Timespec* times, int flags);

        [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
        internal static partial nint Readlink(byte* path, byte* buffer, nuint size);

        [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
        internal static partial nint Opendir(byte* path);

        /// <summary>readdir(3): a struct dirent*, NULL at the end (errno unchanged) or on error.</summary>
        [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
        internal static partial nint Readdir(nint directory);

        [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
        internal static partial int Closedir(nint directory);

        /// <summary>statx(2) (glibc 2.28+): unlike struct stat, struct statx has one layout on every architecture.</summary>
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
        internal static partial int Statx(int directory, byte* path, int flags, uint mask, StatxBuffer* buffer);

        /// <summary>Offset of d_name in struct dirent on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1).</summary>
        internal const int DirentNameOffset = 19;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct statx (linux/stat.h): the fields we read, at their fixed offsets; 256 bytes in all.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(16)]
        public uint NLink;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(112)]
        public long MTimeSeconds;

        [FieldOffset(120)]
        public uint MTimeNanoseconds;
    }
}
