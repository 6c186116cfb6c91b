namespace Inosync.Watching.Inotify;

/// <summary>
/// The kernel side of one inotify instance, in the verbs the watcher needs (lsyncd's inotify.c has as few): add and
/// remove a watch, wait for events or a wake-up, read them. <see cref="InotifyInstance"/> is the only product
/// implementation; the seam lets in-process tests wrap it (hold the reader back so the kernel queue overflows for
/// real, or refuse watches as a reached limit would) without any hook in the product.
/// </summary>
internal interface IInotify : IDisposable
{
    /// <summary>inotify_add_watch on a NUL-terminated path (exact bytes): the watch descriptor, or -1 with <paramref name="errno"/>.</summary>
    int AddWatch(ReadOnlySpan<byte> path, Interop.NotifyEvents mask, out int errno);

    /// <summary>inotify_rm_watch; errors are ignored (the kernel may have dropped the watch already).</summary>
    void RemoveWatch(int wd);

    /// <summary>Blocks until events can be read, <see cref="Wake"/> is called, or the timeout passes (-1: none).</summary>
    InotifyReadiness Wait(int timeoutMilliseconds);

    /// <summary>Reads queued events into <paramref name="buffer"/> without blocking: the bytes read, 0 when there are none.</summary>
    int Read(Span<byte> buffer);

    /// <summary>Makes a blocked or the next <see cref="Wait"/> return <see cref="InotifyReadiness.Stopping"/>. Any thread.</summary>
    void Wake();
}
