using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync.Watching.Inotify;

/// <summary>The subdirectories of a directory, for the watch walk.</summary>
[SupportedOSPlatform("linux")]
internal static class DirectoryListing
{
    /// <summary>The subdirectories of the NUL-terminated <paramref name="path"/>, names exact (<see cref="FileNameEncoding"/>).
    /// d_type spares a stat per entry; symlinks are entries, not directories. A directory that vanished or cannot be
    /// read lists nothing: its removal is in the queue, or it stays unwatched children-wise.</summary>
    public static unsafe List<string> ChildDirectories(ReadOnlySpan<byte> path)
    {
        var names = new List<string>();
        nint handle;
        fixed (byte* bytes = path)
        {
            handle = Interop.Libc.Opendir(bytes);
        }

        if (handle == 0)
        {
            return names;
        }

        try
        {
            nint entry;
            while ((entry = Interop.Libc.Readdir(handle)) != 0)
            {
                byte type = *((byte*)entry + Interop.Libc.DirentTypeOffset);
                if (type is not (Interop.Libc.DT_DIR or Interop.Libc.DT_UNKNOWN))
                {
                    continue; // DT_UNKNOWN (some filesystems): adding the watch tells, as IN_ONLYDIR fails on a non-directory
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + Interop.Libc.DirentNameOffset);
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    names.Add(FileNameEncoding.GetString(name));
                }
            }
        }
        finally
        {
            _ = Interop.Libc.Closedir(handle);
        }

        return names;
    }
}
