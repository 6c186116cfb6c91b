using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int EFD_CLOEXEC = 0x80000;
        internal const int EFD_NONBLOCK = 0x800;

        /// <summary>A counter descriptor that becomes readable once written: how another thread wakes a poll.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
        internal static partial SafeDescriptorHandle EventFd(uint initval, int flags);
    }
}
