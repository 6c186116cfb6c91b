using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>inotify_init1 flags (the generic O_CLOEXEC / O_NONBLOCK values).</summary>
        internal const int IN_CLOEXEC = 0x80000;
        internal const int IN_NONBLOCK = 0x800;

        /// <summary>Returns an invalid handle and sets errno (EMFILE: fs.inotify.max_user_instances reached).</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
        internal static partial SafeDescriptorHandle InotifyInit1(int flags);

        /// <summary>Returns the watch descriptor, or -1 and errno (ENOSPC: fs.inotify.max_user_watches reached).
        /// Adding a path whose directory is already watched returns the existing descriptor. The path is bytes
        /// (<see cref="FileNameEncoding"/>): a directory whose name is not valid UTF-8 is watched like any other.</summary>
        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
        internal static unsafe partial int InotifyAddWatch(SafeDescriptorHandle fd, byte* pathname, NotifyEvents mask);

        [SupportedOSPlatform("linux")]
        [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
        internal static partial int InotifyRmWatch(SafeDescriptorHandle fd, int wd);
    }

    /// <summary>inotify event bits, with their C names (linux/inotify.h).</summary>
    [Flags]
    internal enum NotifyEvents : uint
    {
        IN_ACCESS = 0x00000001,
        IN_MODIFY = 0x00000002,
        IN_ATTRIB = 0x00000004,
        IN_CLOSE_WRITE = 0x00000008,
        IN_CLOSE_NOWRITE = 0x00000010,
        IN_OPEN = 0x00000020,
        IN_MOVED_FROM = 0x00000040,
        IN_MOVED_TO = 0x00000080,
        IN_CREATE = 0x00000100,
        IN_DELETE = 0x00000200,
        IN_DELETE_SELF = 0x00000400,
        IN_MOVE_SELF = 0x00000800,
        IN_UNMOUNT = 0x00002000,
        IN_Q_OVERFLOW = 0x00004000,
        IN_IGNORED = 0x00008000,
        IN_ONLYDIR = 0x01000000,
        IN_DONT_FOLLOW = 0x02000000,
        IN_EXCL_UNLINK = 0x04000000,
        IN_MASK_ADD = 0x20000000,
        IN_ISDIR = 0x40000000,
    }
}
