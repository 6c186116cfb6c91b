using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync.Watching.Inotify;

/// <summary>
/// One inotify instance (inotify_init1, close-on-exec and non-blocking) and the eventfd that wakes its reader out of
/// poll(2). Disposing it closes both, which drops every watch at once.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class InotifyInstance : IInotify
{
    private readonly SafeDescriptorHandle _inotify;
    private readonly SafeDescriptorHandle _wake;

    private InotifyInstance(SafeDescriptorHandle inotify, SafeDescriptorHandle wake)
    {
        _inotify = inotify;
        _wake = wake;
    }

    /// <exception cref="WatchLimitException">fs.inotify.max_user_instances is reached.</exception>
    /// <exception cref="IOException">Another failure of inotify_init1 or eventfd.</exception>
    public static IInotify Open()
    {
        SafeDescriptorHandle wake = Interop.Libc.EventFd(0, Interop.Libc.EFD_CLOEXEC | Interop.Libc.EFD_NONBLOCK);
        if (wake.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            wake.Dispose();
            throw new IOException($"eventfd failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        SafeDescriptorHandle inotify = Interop.Libc.InotifyInit1(Interop.Libc.IN_CLOEXEC | Interop.Libc.IN_NONBLOCK);
        if (inotify.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            inotify.Dispose();
            wake.Dispose();
            if (errno == Interop.Errno.EMFILE)
            {
                throw new WatchLimitException(InotifyLimits.InstanceLimitMessage());
            }

            throw new IOException($"inotify_init1 failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return new InotifyInstance(inotify, wake);
    }

    public unsafe int AddWatch(ReadOnlySpan<byte> path, Interop.NotifyEvents mask, out int errno)
    {
        fixed (byte* bytes = path)
        {
            int wd = Interop.Libc.InotifyAddWatch(_inotify, bytes, mask);
            errno = wd < 0 ? Marshal.GetLastPInvokeError() : 0;
            return wd;
        }
    }

    public void RemoveWatch(int wd) => Interop.Libc.InotifyRmWatch(_inotify, wd);

    public unsafe InotifyReadiness Wait(int timeoutMilliseconds)
    {
        bool inotifyAdded = false;
        bool wakeAdded = false;
        try
        {
            _inotify.DangerousAddRef(ref inotifyAdded);
            _wake.DangerousAddRef(ref wakeAdded);
            Interop.Libc.PollFd* fds = stackalloc Interop.Libc.PollFd[2];
            fds[0] = new Interop.Libc.PollFd { Fd = _inotify.Descriptor, Events = Interop.Libc.POLLIN };
            fds[1] = new Interop.Libc.PollFd { Fd = _wake.Descriptor, Events = Interop.Libc.POLLIN };
            while (true)
            {
                int ready = Interop.Libc.Poll(fds, 2, timeoutMilliseconds);
                if (ready < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.Errno.EINTR)
                    {
                        continue;
                    }

                    throw new IOException($"poll on the inotify descriptor failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }

                if (fds[1].REvents != 0)
                {
                    return InotifyReadiness.Stopping;
                }

                if (ready == 0)
                {
                    return InotifyReadiness.TimedOut;
                }

                if ((fds[0].REvents & (Interop.Libc.POLLERR | Interop.Libc.POLLHUP | Interop.Libc.POLLNVAL)) != 0)
                {
                    throw new IOException($"The inotify descriptor reported an error (revents {fds[0].REvents}).");
                }

                return InotifyReadiness.Readable;
            }
        }
        finally
        {
            if (wakeAdded)
            {
                _wake.DangerousRelease();
            }

            if (inotifyAdded)
            {
                _inotify.DangerousRelease();
            }
        }
    }

    public unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                nint read = Interop.Libc.Read(_inotify, bytes, (nuint)buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Errno.EINTR)
                {
                    continue;
                }

                if (errno == Interop.Errno.EAGAIN)
                {
                    return 0;
                }

                throw new IOException($"read on the inotify descriptor failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    public unsafe void Wake()
    {
        ulong one = 1;
        try
        {
            Interop.Libc.Write(_wake, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nothing left to wake.
        }
    }

    public void Dispose()
    {
        _inotify.Dispose();
        _wake.Dispose();
    }
}
