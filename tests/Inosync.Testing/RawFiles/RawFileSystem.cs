using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Inosync.Testing.RawFiles.Interop.Libc;

namespace Inosync.Testing.RawFiles;

/// <summary>What <see cref="RawFileSystem.Stat"/> tells about an entry (symlinks are not followed).</summary>
public readonly record struct RawStat(TreeEntryKind Kind, int Mode, long Size, int Links, long MTimeSeconds, int MTimeNanoseconds);

/// <summary>
/// The file operations of the tests on byte-exact paths: every path is a <see cref="RawName"/> string, so names that
/// are not valid UTF-8 work like any other. Errors throw <see cref="IOException"/> with the errno text and the path.
/// </summary>
public static unsafe class RawFileSystem
{
    private const int ENOENT = 2;

    /// <summary>Creates or truncates a file and writes <paramref name="content"/>.</summary>
    public static void WriteFile(string path, ReadOnlySpan<byte> content, int mode = 0b110_100_100)
    {
        using SafeFileHandle handle = OpenHandle(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        RandomAccess.Write(handle, content, 0);
    }

    public static void Append(string path, ReadOnlySpan<byte> content)
    {
        using SafeFileHandle handle = OpenHandle(path, O_WRONLY | O_APPEND | O_CLOEXEC, 0);
        RandomAccess.Write(handle, content, RandomAccess.GetLength(handle));
    }

    public static void Truncate(string path, long length)
    {
        using SafeFileHandle handle = OpenHandle(path, O_WRONLY | O_CLOEXEC, 0);
        RandomAccess.SetLength(handle, length);
    }

    /// <summary>truncate(2) by path: unlike open + ftruncate + close, no descriptor is closed after writing.</summary>
    public static void TruncatePath(string path, long length)
    {
        fixed (byte* p = RawName.ToCString(path))
        {
            Check(Interop.Libc.Truncate(p, length), "truncate", path);
        }
    }

    /// <summary>Opens a file for appending; the caller decides when to close it (a writer that keeps its descriptor).</summary>
    public static SafeFileHandle OpenAppend(string path) => OpenHandle(path, O_WRONLY | O_APPEND | O_CLOEXEC, 0);

    /// <summary>How many names the open file has (0 once it was deleted).</summary>
    public static int LinkCount(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Interop.StatxBuffer buffer;
        byte empty = 0;
        if (Statx((int)handle.DangerousGetHandle(), &empty, AT_EMPTY_PATH, STATX_BASIC_STATS, &buffer) != 0)
        {
            throw Error("statx", Marshal.GetLastPInvokeError(), "(descriptor)");
        }

        return (int)buffer.NLink;
    }

    public static byte[] ReadFile(string path)
    {
        using SafeFileHandle handle = OpenHandle(path, O_RDONLY | O_CLOEXEC, 0);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Opens a file for reading (the caller checked that it is a regular file).</summary>
    public static FileStream OpenRead(string path) =>
        new(OpenHandle(path, O_RDONLY | O_CLOEXEC, 0), FileAccess.Read, bufferSize: 0);

    public static void CreateDirectory(string path, int mode = 0b111_101_101) => Check(Call(path, p => Mkdir(p, mode)), "mkdir", path);

    public static void DeleteDirectory(string path) => Check(Call(path, p => Rmdir(p)), "rmdir", path);

    public static void DeleteFile(string path) => Check(Call(path, p => Unlink(p)), "unlink", path);

    public static void Rename(string from, string to) => Check(Call(from, to, (a, b) => Interop.Libc.Rename(a, b)), "rename", from, to);

    public static void CreateSymlink(string path, string target) => Check(Call(target, path, (t, p) => Symlink(t, p)), "symlink", path, target);

    public static void CreateHardLink(string path, string existing) => Check(Call(existing, path, (e, p) => Link(e, p)), "link", path, existing);

    public static void SetMode(string path, int mode) => Check(Call(path, p => Chmod(p, mode)), "chmod", path);

    /// <summary>Sets the modification time only (the access time is left alone), without following a symlink.</summary>
    public static void SetModificationTime(string path, long seconds, long nanoseconds)
    {
        Interop.Timespec* times = stackalloc Interop.Timespec[2];
        times[0] = new Interop.Timespec { Seconds = 0, Nanoseconds = UTIME_OMIT };
        times[1] = new Interop.Timespec { Seconds = seconds, Nanoseconds = nanoseconds };
        fixed (byte* p = RawName.ToCString(path))
        {
            Check(Utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW), "utimensat", path);
        }
    }

    /// <summary>Sets both times (what touch -d does): the kernel reports IN_ATTRIB; an mtime alone is IN_MODIFY.</summary>
    public static void SetTimes(string path, long seconds, long nanoseconds)
    {
        Interop.Timespec* times = stackalloc Interop.Timespec[2];
        times[0] = new Interop.Timespec { Seconds = seconds, Nanoseconds = nanoseconds };
        times[1] = times[0];
        fixed (byte* p = RawName.ToCString(path))
        {
            Check(Utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW), "utimensat", path);
        }
    }

    /// <summary>Sets the modification time to now (touch -m).</summary>
    public static void TouchNow(string path) => SetModificationTime(path, 0, UTIME_NOW);

    /// <summary>
    /// Sets or clears the immutable attribute (chattr +i / -i) on a file or directory: then nobody, root included, may
    /// write, rename, delete or create in it. Throws <see cref="IOException"/> where the filesystem or the process's
    /// capabilities (CAP_LINUX_IMMUTABLE) do not allow it.
    /// </summary>
    public static void SetImmutable(string path, bool immutable)
    {
        using SafeFileHandle handle = OpenHandle(path, O_RDONLY | O_CLOEXEC, 0);
        int fd = (int)handle.DangerousGetHandle();
        int flags;
        if (Ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
        {
            throw Error("ioctl(FS_IOC_GETFLAGS)", Marshal.GetLastPInvokeError(), path);
        }

        flags = immutable ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
        if (Ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
        {
            throw Error("ioctl(FS_IOC_SETFLAGS)", Marshal.GetLastPInvokeError(), path);
        }
    }

    /// <summary>lstat: null when the entry does not exist (or vanished).</summary>
    public static RawStat? Stat(string path)
    {
        Interop.StatxBuffer buffer;
        int result;
        fixed (byte* p = RawName.ToCString(path))
        {
            result = Statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &buffer);
        }

        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or 20 /* ENOTDIR: a parent was replaced by a file */)
            {
                return null;
            }

            throw Error("statx", errno, path);
        }

        TreeEntryKind kind = (buffer.Mode & S_IFMT) switch
        {
            S_IFDIR => TreeEntryKind.Directory,
            S_IFREG => TreeEntryKind.File,
            S_IFLNK => TreeEntryKind.Symlink,
            _ => TreeEntryKind.Other,
        };
        return new RawStat(kind, buffer.Mode & 0xFFF, (long)buffer.Size, (int)buffer.NLink, buffer.MTimeSeconds, (int)buffer.MTimeNanoseconds);
    }

    public static string ReadLink(string path)
    {
        byte[] buffer = new byte[4096];
        nint length;
        fixed (byte* b = buffer)
        fixed (byte* p = RawName.ToCString(path))
        {
            length = Readlink(p, b, (nuint)buffer.Length);
        }

        if (length < 0)
        {
            throw Error("readlink", Marshal.GetLastPInvokeError(), path);
        }

        return RawName.Decode(buffer.AsSpan(0, (int)length));
    }

    /// <summary>The names in a directory (not "." and ".."), as <see cref="RawName"/> strings. Empty if it vanished.</summary>
    public static List<string> List(string directory)
    {
        var names = new List<string>();
        nint handle = Call(directory, p => Opendir(p));
        if (handle == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or 20)
            {
                return names;
            }

            throw Error("opendir", errno, directory);
        }

        try
        {
            while (true)
            {
                nint entry = Readdir(handle);
                if (entry == 0)
                {
                    break;
                }

                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry + DirentNameOffset);
                if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
                {
                    continue;
                }

                names.Add(RawName.Decode(name));
            }
        }
        finally
        {
            _ = Closedir(handle);
        }

        return names;
    }

    /// <summary>rm -r: deletes <paramref name="path"/> and everything below it (symlinks are removed, never followed).</summary>
    public static void DeleteTree(string path)
    {
        if (Stat(path) is not { } stat)
        {
            return;
        }

        if (stat.Kind == TreeEntryKind.Directory)
        {
            foreach (string name in List(path))
            {
                DeleteTree(path + "/" + name);
            }

            DeleteDirectory(path);
        }
        else
        {
            DeleteFile(path);
        }
    }

    private static SafeFileHandle OpenHandle(string path, int flags, int mode)
    {
        int fd = Call(path, p => Open(p, flags, mode));
        if (fd < 0)
        {
            throw Error("open", Marshal.GetLastPInvokeError(), path);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private delegate T PathCall<T>(byte* path);

    private delegate T PathsCall<T>(byte* first, byte* second);

    private static T Call<T>(string path, PathCall<T> call)
    {
        fixed (byte* p = RawName.ToCString(path))
        {
            return call(p);
        }
    }

    private static T Call<T>(string first, string second, PathsCall<T> call)
    {
        fixed (byte* a = RawName.ToCString(first))
        fixed (byte* b = RawName.ToCString(second))
        {
            return call(a, b);
        }
    }

    private static void Check(int result, string operation, string path, string? other = null)
    {
        if (result != 0)
        {
            throw Error(operation, Marshal.GetLastPInvokeError(), path, other);
        }
    }

    private static IOException Error(string operation, int errno, string path, string? other = null)
    {
        string paths = other is null ? RawName.Show(path) : $"{RawName.Show(path)}, {RawName.Show(other)}";
        return new IOException($"{operation}({paths}): {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
