using System.Runtime.InteropServices;

namespace Inosync.Testing.Servers;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Signal numbers from signal(7) (Linux values).</summary>
        internal enum Signal
        {
            SIGKILL = 9,
            SIGTERM = 15,
        }

        /// <summary>kill(2). Process.Kill only sends SIGKILL; the servers get a SIGTERM first so they can log and clean up.</summary>
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, Signal sig);
    }
}
