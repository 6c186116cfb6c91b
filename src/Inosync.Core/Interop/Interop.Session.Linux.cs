using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>setsid(2): a new session without a controlling terminal, so closing the terminal sends no SIGHUP.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
        internal static partial int SetSid();

        /// <summary>dup2(2): makes <paramref name="newDescriptor"/> refer to what <paramref name="oldDescriptor"/> does.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
        internal static partial int Dup2(int oldDescriptor, int newDescriptor);
    }
}
