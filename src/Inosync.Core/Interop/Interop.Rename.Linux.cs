using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>"Relative to the current directory": with absolute paths the descriptor is ignored anyway.</summary>
        internal const int AT_FDCWD = -100;

        /// <summary>renameat2 flag: fail with EEXIST instead of replacing an existing destination (Linux 3.15+).</summary>
        internal const uint RENAME_NOREPLACE = 1;

        /// <summary>
        /// renameat2(2). With <see cref="RENAME_NOREPLACE"/> the never-overwrite check and the rename are one atomic
        /// step, for files and directories alike; like rename(2) it acts on the last component itself, never on what a
        /// symlink points to. Some filesystems reject the flag with EINVAL.
        /// </summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);

        /// <summary>rename(2): replaces an existing destination, so callers check for one first.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Rename(string oldPath, string newPath);
    }
}
