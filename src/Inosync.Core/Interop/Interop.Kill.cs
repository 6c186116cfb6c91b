using System.Runtime.InteropServices;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Signal numbers from signal(7) that inosync sends; Linux values (x86, ARM and most others agree).</summary>
        internal enum Signal
        {
            SIGKILL = 9,
            SIGTERM = 15,
        }

        /// <summary>kill(2). Process.Kill only sends SIGKILL; rsync needs SIGTERM to clean up its temp files and its ssh child.</summary>
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, Signal sig);
    }
}
