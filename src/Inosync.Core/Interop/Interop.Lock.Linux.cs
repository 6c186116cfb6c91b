using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int LOCK_EX = 2;
        internal const int LOCK_NB = 4;

        /// <summary>fcntl command: set an open-file-description lock, failing at once (EAGAIN) if another holds it.</summary>
        internal const int F_OFD_SETLK = 37;

        internal const short F_WRLCK = 1;

        /// <summary>struct flock (one layout on 64-bit Linux); l_len 0 means "to the end of the file".</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct FileLock
        {
            public short Type;
            public short Whence;
            public long Start;
            public long Length;
            public int Pid;
        }

        /// <summary>
        /// fcntl(2) with a struct flock. An open-file-description lock belongs to the descriptor, is released when it
        /// is closed or the process dies, and does not interact with flock(2), which .NET uses to emulate FileShare.
        /// </summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int FcntlLock(SafeFileHandle file, int command, ref FileLock fileLock);

        /// <summary>flock(2): an advisory whole-file lock, which unlike an fcntl write lock works on a read-only descriptor.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
        internal static partial int Flock(SafeFileHandle file, int operation);
    }
}
