using System.Runtime.Versioning;
using Inosync.Watching.Inotify;

namespace Inosync.Tests.Watching;

/// <summary>
/// The real inotify instance with two controls that the kernel otherwise only offers through /proc/sys, which tests
/// must not touch: hold the reader back (so the kernel queue really fills and overflows, or events pile up in one
/// read), and refuse watches beyond a count with ENOSPC, as a reached fs.inotify.max_user_watches does.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ControlledInotify : IInotify
{
    private readonly IInotify _inner = InotifyInstance.Open();
    private readonly HashSet<int> _watches = [];
    private readonly Func<bool> _stalled;
    private readonly int? _maxWatches;
    private volatile bool _woken;

    /// <param name="stalled">While true, <see cref="Wait"/> does not return (until <see cref="Wake"/>).</param>
    /// <param name="maxWatches">Watches beyond this many fail with ENOSPC.</param>
    public ControlledInotify(Func<bool>? stalled = null, int? maxWatches = null)
    {
        _stalled = stalled ?? (() => false);
        _maxWatches = maxWatches;
    }

    public int AddWatch(ReadOnlySpan<byte> path, Interop.NotifyEvents mask, out int errno)
    {
        int wd = _inner.AddWatch(path, mask, out errno);
        if (wd >= 0 && _maxWatches is int max && !_watches.Contains(wd) && _watches.Count >= max)
        {
            _inner.RemoveWatch(wd);
            errno = Interop.Errno.ENOSPC;
            return -1;
        }

        if (wd >= 0)
        {
            _watches.Add(wd);
        }

        return wd;
    }

    public void RemoveWatch(int wd)
    {
        _watches.Remove(wd);
        _inner.RemoveWatch(wd);
    }

    public InotifyReadiness Wait(int timeoutMilliseconds)
    {
        while (_stalled() && !_woken)
        {
            Thread.Sleep(5);
        }

        return _inner.Wait(timeoutMilliseconds);
    }

    public int Read(Span<byte> buffer)
    {
        int length = _inner.Read(buffer);
        foreach (InotifyEvent e in new InotifyEventReader(buffer[..length]))
        {
            if ((e.Mask & Interop.NotifyEvents.IN_IGNORED) != 0)
            {
                _watches.Remove(e.Wd); // the kernel dropped it (the directory is gone)
            }
        }

        return length;
    }

    public void Wake()
    {
        _woken = true;
        _inner.Wake();
    }

    public void Dispose() => _inner.Dispose();
}
