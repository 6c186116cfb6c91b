using Inosync.Coalescing;
using Inosync.Files;

namespace Inosync.Rsync;

/// <summary>
/// Decides, per narrow batch to one node, whether rsync's quick check (same size and same mtime, compared to the
/// nanosecond) can be trusted, or the batch needs <c>--checksum</c>. Not thread-safe: one node's worker owns it.
/// </summary>
/// <remarks>
/// The quick check misses a same-size rewrite that keeps the mtime the node's copy already has. File systems stamp
/// mtimes from a clock that advances in ticks (1–10 ms before Linux 6.13), so that happens when a file is rewritten
/// within the tick in which an rsync read it. Such a copy on the node then has an mtime no older than (a tick before)
/// the start of that rsync, and no newer than its end. So the guard remembers when this node's rsyncs ran, and a
/// batch needs <c>--checksum</c> only when a file it names has an mtime inside one of those windows. Everything
/// else (an append to a big file, most writes) goes out with the quick check and rsync's delta transfer, without
/// reading both copies in full first. Batches with recursive jobs keep <c>--checksum</c>: the files below a directory
/// are not listed, so the guard cannot look at their mtimes. A file whose mtime has no sub-second part may live on a
/// file system with whole-second (FAT: two-second) stamps, so its window reaches two seconds further back.
/// </remarks>
internal sealed class QuickCheckGuard
{
    // Two ticks of the slowest kernel clock (HZ=100): the mtime a write gets can be that far behind the wall clock.
    private static readonly long s_tick = TimeSpan.FromMilliseconds(20).Ticks;
    private static readonly long s_coarseTick = TimeSpan.FromSeconds(2).Ticks;

    // Windows beyond this many merge, oldest first, into one wider window: more checksums, never fewer.
    private const int MaxWindows = 64;

    private readonly List<(long Start, long End)> _windows = [];

    /// <summary>How many windows are remembered (at most 64).</summary>
    public int WindowCount => _windows.Count;

    /// <summary>An rsync to this node ran from <paramref name="started"/> to <paramref name="ended"/> (whatever its
    /// outcome: a failed run may have sent files too).</summary>
    public void RecordRun(DateTimeOffset started, DateTimeOffset ended)
    {
        long start = started.UtcTicks;
        long end = Math.Max(ended.UtcTicks, start);
        if (_windows.Count > 0 && start <= _windows[^1].End + s_tick)
        {
            _windows[^1] = (Math.Min(_windows[^1].Start, start), Math.Max(_windows[^1].End, end));
        }
        else
        {
            _windows.Add((start, end));
        }

        if (_windows.Count > MaxWindows)
        {
            _windows[1] = (_windows[0].Start, _windows[1].End);
            _windows.RemoveAt(0);
        }
    }

    /// <summary>Whether <paramref name="batch"/> (a narrow one) needs <c>--checksum</c>.</summary>
    /// <param name="batch">The batch about to run.</param>
    /// <param name="sourceRoot">The directory the batch's paths are relative to (the pinned source), ending in '/'.</param>
    public bool NeedsChecksum(SyncBatch batch, string sourceRoot)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.FullSync)
        {
            return false;
        }

        if (batch.Jobs.Any(j => j.Recursive))
        {
            return true;
        }

        if (_windows.Count == 0)
        {
            return false;
        }

        foreach (DirectoryJob job in batch.Jobs)
        {
            foreach (var (name, change) in job.Names)
            {
                if ((change & NameChange.Modified) != 0 && MayHideARewrite(sourceRoot + (job.Directory.Length == 0 ? name : job.Directory + "/" + name)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool MayHideARewrite(string path)
    {
        if (!OperatingSystem.IsLinux() || UnixFileStatus.OfLink(path) is not { IsRegularFile: true } status)
        {
            return false; // gone (its removal is in the batch), a directory, a symlink: nothing the quick check can miss
        }

        long mtime = DateTimeOffset.UnixEpoch.UtcTicks + (status.ModifiedSeconds * TimeSpan.TicksPerSecond) + (status.ModifiedNanoseconds / 100);
        long reach = status.ModifiedNanoseconds == 0 ? s_coarseTick : s_tick;
        foreach (var (start, end) in _windows)
        {
            if (mtime >= start - reach && mtime <= end)
            {
                return true;
            }
        }

        return false;
    }
}
