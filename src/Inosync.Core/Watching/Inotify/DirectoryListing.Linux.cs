using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync.Watching.Inotify;

/// <summary>The entries of a directory with their d_type, for the watch walk and the lftp nodes' exclusion walk.</summary>
[SupportedOSPlatform("linux")]
internal static class DirectoryListing
{
    /// <summary>The subdirectories of the NUL-terminated <paramref name="path"/>, names exact (<see cref="FileNameEncoding"/>).
    /// d_type spares a stat per entry; symlinks are entries, not directories. A directory that vanished or cannot be
    /// read lists nothing: its removal is in the queue, or it stays unwatched children-wise.</summary>
    public static List<string> ChildDirectories(ReadOnlySpan<byte> path)
    {
        // DT_UNKNOWN (some filesystems): adding the watch tells, as IN_ONLYDIR fails on a non-directory.
        return [.. Entries(path).Where(e => e.Type is Interop.Libc.DT_DIR or Interop.Libc.DT_UNKNOWN).Select(e => e.Name)];
    }

    /// <summary>Every entry of the NUL-terminated <paramref name="path"/> but "." and "..", with its d_type (DT_UNKNOWN on
    /// file systems that do not fill it in); nothing when it cannot be opened.</summary>
    public static unsafe List<(string Name, byte Type)> Entries(ReadOnlySpan<byte> path)
    {
        var names = new List<(string Name, byte Type)>();
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
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + Interop.Libc.DirentNameOffset);
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    names.Add((FileNameEncoding.GetString(name), type));
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
