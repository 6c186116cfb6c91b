using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Files;

/// <summary>
/// One daemon per configuration: an exclusive lock held for the daemon's life, on the pid file (which then names the
/// holder) or, without one, on the configuration file itself.
/// </summary>
/// <remarks>
/// The pid file used to be checked, then written: two daemons started at the same moment both passed the check (3 of
/// 10 tries). A lock is taken or refused in one step, and the kernel drops it when the holder dies, so a stale pid
/// file needs no liveness guess. Not flock(2): .NET takes a shared flock to emulate FileShare whenever it opens a file
/// by path, so an exclusive flock would make every .NET reader of the pid file fail. The pid file is written in
/// place, under the lock (a rename would put a new, unlocked file at the path), and opened with O_NOFOLLOW.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class InstanceLock : IDisposable
{
    private readonly FileStream _file;
    private readonly string? _pidPath;

    private InstanceLock(FileStream file, string? pidPath)
    {
        _file = file;
        _pidPath = pidPath;
    }

    /// <summary>Locks <paramref name="pidPath"/> (created 0644) and writes our pid into it.</summary>
    /// <exception cref="AlreadyRunningException">Another process holds it.</exception>
    /// <exception cref="IOException">It cannot be opened; the message says why.</exception>
    public static InstanceLock ForPidFile(string pidPath)
    {
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        (SafeFileHandle handle, _) = UnixFile.OpenRegular(pidPath, Interop.Libc.O_RDWR | Interop.Libc.O_CREAT | Interop.Libc.O_NOFOLLOW, mode);
        var file = new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0);
        try
        {
            if (!TryLock(handle))
            {
                throw new AlreadyRunningException($"another inosync is already running with pid {ReadPid(file)?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}; stop it first");
            }

            file.SetLength(0);
            file.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            return new InstanceLock(file, pidPath);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Locks the configuration file (read-only; its content is not touched).</summary>
    /// <exception cref="AlreadyRunningException">Another process holds it.</exception>
    /// <exception cref="IOException">It cannot be opened; the message says why.</exception>
    public static InstanceLock ForConfiguration(string configPath)
    {
        (SafeFileHandle handle, _) = UnixFile.OpenRegular(configPath, Interop.Libc.O_RDONLY | Interop.Libc.O_NONBLOCK, 0);
        var file = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!TryLockReadOnly(handle))
        {
            file.Dispose();
            throw new AlreadyRunningException("another inosync is already running with this configuration; stop it first");
        }

        return new InstanceLock(file, null);
    }

    public void Dispose()
    {
        // Remove the pid file while still holding the lock: nobody else can have written it meanwhile.
        if (_pidPath is not null)
        {
            try
            {
                File.Delete(_pidPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A pid file left behind is harmless: the next start takes its lock.
            }
        }

        _file.Dispose();
    }

    private static bool TryLock(SafeFileHandle handle)
    {
        var whole = new Interop.Libc.FileLock { Type = Interop.Libc.F_WRLCK };
        if (Interop.Libc.FcntlLock(handle, Interop.Libc.F_OFD_SETLK, ref whole) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is Interop.Errno.EAGAIN or Interop.Errno.EACCES
            ? false
            : throw new IOException($"cannot lock it: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>flock: the configuration is open read-only. inosync reads its configuration with a raw open(2), so
    /// .NET's shared-flock emulation of FileShare does not meet this lock.</summary>
    private static bool TryLockReadOnly(SafeFileHandle handle)
    {
        if (Interop.Libc.Flock(handle, Interop.Libc.LOCK_EX | Interop.Libc.LOCK_NB) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Interop.Errno.EAGAIN
            ? false
            : throw new IOException($"cannot lock it: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    private static int? ReadPid(FileStream file)
    {
        var buffer = new byte[32];
        int read = file.Read(buffer);
        return int.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }
}
