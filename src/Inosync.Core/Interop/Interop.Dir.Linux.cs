using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>struct dirent on 64-bit Linux (glibc and musl): d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.</summary>
        internal const int DirentTypeOffset = 18;
        internal const int DirentNameOffset = 19;

        /// <summary>d_type values (dirent.h): unknown means the filesystem does not say, so the caller must look.</summary>
        internal const byte DT_UNKNOWN = 0;
        internal const byte DT_DIR = 4;
        internal const byte DT_REG = 8;
        internal const byte DT_LNK = 10;

        /// <summary>opendir(3) on a byte path (names that are not valid UTF-8 included). NULL and errno on failure.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
        internal static unsafe partial nint Opendir(byte* path);

        /// <summary>readdir(3): the next struct dirent*, or NULL at the end.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "readdir", SetLastError = true)]
        internal static partial nint Readdir(nint directory);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
        internal static partial int Closedir(nint directory);
    }
}
