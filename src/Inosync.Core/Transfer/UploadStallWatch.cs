using System.Globalization;
using System.Runtime.Versioning;
using Inosync.Files;

namespace Inosync.Transfer;

/// <summary>
/// Watches one lftp process for an upload that has stalled: lftp holds a regular file open and has read and written
/// nothing (its /proc/PID/io counters stand still) for <see cref="Limit"/>. lftp 4.9.2 (Debian 12) gets there when a
/// file grows while it is uploaded to an SFTP server: it writes the size it saw, then waits with nothing in flight,
/// in a state its own xfer:timeout does not check, until net:timeout (rsync_timeout) cuts the connection
/// (lavv17/lftp#647). The watch cancels the run instead, and the node retries the batch as after any failure.
/// </summary>
/// <remarks>
/// Only while a file is open: lftp waiting for a slow server's reply to anything else is net:timeout's to judge.
/// The counters and the open files are read from /proc, never signalled: the process runner stops the process tree.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class UploadStallWatch(TimeSpan limit, TimeProvider time)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(1);

    /// <summary>How long an upload may move nothing.</summary>
    public TimeSpan Limit { get; } = limit;

    /// <summary>Whether the watch found the upload stalled and cancelled the run.</summary>
    public bool Fired { get; private set; }

    /// <summary>Polls process <paramref name="pid"/> until <paramref name="run"/> is cancelled (by the caller when the process ended, or here when it stalled).</summary>
    public async Task WatchAsync(int pid, CancellationTokenSource run)
    {
        string proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        (long Read, long Written)? last = null;
        long still = time.GetTimestamp();
        using var timer = new PeriodicTimer(s_poll, time);
        try
        {
            while (await timer.WaitForNextTickAsync(run.Token))
            {
                (long, long)? now = Counters(proc);
                if (now is null)
                {
                    return;
                }

                if (now != last || !HoldsRegularFile(proc))
                {
                    last = now;
                    still = time.GetTimestamp();
                }
                else if (time.GetElapsedTime(still) >= Limit)
                {
                    Fired = true;
                    await run.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    /// <summary>rchar and wchar: every byte the process read or wrote, pipes and files alike; null once it is gone.</summary>
    private static (long Read, long Written)? Counters(string proc)
    {
        long? read = null;
        long? written = null;
        try
        {
            foreach (string line in File.ReadLines(proc + "/io"))
            {
                if (line.StartsWith("rchar:", StringComparison.Ordinal))
                {
                    read = long.Parse(line.AsSpan(6), NumberStyles.AllowLeadingWhite, CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("wchar:", StringComparison.Ordinal))
                {
                    written = long.Parse(line.AsSpan(6), NumberStyles.AllowLeadingWhite, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return read is { } r && written is { } w ? (r, w) : null;
    }

    /// <summary>Whether one of the process's descriptors is a regular file (the file being uploaded).</summary>
    private static bool HoldsRegularFile(string proc)
    {
        try
        {
            foreach (string descriptor in Directory.EnumerateFileSystemEntries(proc + "/fd"))
            {
                // Through the descriptor, never the path its link shows (a tree writer may have renamed or swapped it).
                if (UnixFileStatus.OfOpen(descriptor) is { IsRegularFile: true })
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        return false;
    }
}
