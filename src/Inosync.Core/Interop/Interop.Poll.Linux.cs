using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const short POLLIN = 0x0001;
        internal const short POLLERR = 0x0008;
        internal const short POLLHUP = 0x0010;
        internal const short POLLNVAL = 0x0020;

        /// <summary>struct pollfd.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            internal int Fd;
            internal short Events;
            internal short REvents;
        }

        /// <summary>Returns how many descriptors are ready, 0 on timeout, or -1 and errno (EINTR: retry).</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
        internal static unsafe partial int Poll(PollFd* fds, nuint nfds, int timeout);
    }
}
