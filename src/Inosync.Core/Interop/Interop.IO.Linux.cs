using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Returns the byte count, or -1 and errno (EAGAIN on a non-blocking descriptor with nothing to read).</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
        internal static unsafe partial nint Read(SafeDescriptorHandle fd, byte* buffer, nuint count);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        internal static unsafe partial nint Write(SafeDescriptorHandle fd, byte* buffer, nuint count);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}
