using System.Runtime.InteropServices;

namespace Inosync.Benchmarks.Measuring;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int SIGKILL = 9;
        internal const int SIGTERM = 15;

        private const int ScClkTck = 2; // _SC_CLK_TCK on Linux

        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int Kill(int pid, int signal);

        [LibraryImport("libc", EntryPoint = "sysconf", SetLastError = true)]
        private static partial long SysConf(int name);

        /// <summary>Clock ticks per second of the times in /proc/PID/stat (USER_HZ, practically always 100).</summary>
        internal static long ClockTicksPerSecond()
        {
            long ticks = SysConf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
    }
}
