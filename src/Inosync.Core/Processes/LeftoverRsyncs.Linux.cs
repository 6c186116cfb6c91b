using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Inosync.Files;
using Inosync.Rsync;
using Serilog;

namespace Inosync.Processes;

/// <summary>
/// rsyncs an earlier inosync left running for a node. A daemon killed with SIGKILL (or crashing) takes no child with
/// it — only a service manager that kills the whole control group does. Such an rsync still works from what it read
/// before the restart, so if it finished after the new instance's initial sync it could put old content back or delete
/// what that sync created. Before a worker's first sync it therefore waits for them a little, then terminates them.
/// </summary>
/// <remarks>
/// They are found in /proc by their command line: every rsync inosync runs ends with exactly "SRC/ DST/" of its node
/// (SRC being the wpath or the descriptor path of <see cref="PinnedSource"/>)
/// (a wrapper script that execs rsync with the same arguments ends the same way). Only processes of inosync's own
/// user count: any local user can start a process whose arguments end the same way, and root must neither wait for
/// it (delaying every start) nor signal it. An rsync of the same user with these very endpoints would race the node
/// just like ours, so it is treated alike.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class LeftoverRsyncs
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The pids of our user (not ours, nor our children's) whose last two arguments are <paramref name="source"/> and
    /// <paramref name="destination"/>.
    /// </summary>
    public static List<int> Find(string source, string destination)
    {
        uint us = Interop.Libc.GetEffectiveUserId();
        byte[] sourceBytes = Encoding.UTF8.GetBytes(source);
        byte[] destinationBytes = Encoding.UTF8.GetBytes(destination);
        var pids = new List<int>();
        IEnumerable<string> directories;
        try
        {
            directories = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            return pids;
        }

        foreach (string directory in directories)
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            byte[] commandLine;
            try
            {
                commandLine = File.ReadAllBytes(directory + "/cmdline");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }

            // /proc/PID belongs to the process's effective user.
            if (EndsWithEndpoints(commandLine, sourceBytes, destinationBytes)
                && UnixFileStatus.OfLink(directory) is { } owner && owner.Uid == us
                && !ProcessTree.IsDescendantOf(pid, Environment.ProcessId))
            {
                pids.Add(pid); // not one of ours: an orphan (its parent is init or a subreaper by now)
            }
        }

        return pids;
    }

    /// <summary>
    /// "argv0\0…\0SRC/\0DST/\0", where SRC is the wpath or, since rsync reads the watched directory through the
    /// descriptor the daemon held (<see cref="PinnedSource"/>), <c>/proc/self/fd/N/</c>; each argument whole, so
    /// "x/SRC/" does not count.
    /// </summary>
    private static bool EndsWithEndpoints(ReadOnlySpan<byte> commandLine, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination)
    {
        if (commandLine.IsEmpty || commandLine[^1] != 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = commandLine[..^1];
        int split = rest.LastIndexOf((byte)0);
        if (split < 0 || !rest[(split + 1)..].SequenceEqual(destination))
        {
            return false;
        }

        rest = rest[..split];
        int start = rest.LastIndexOf((byte)0);
        if (start < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> argument = rest[(start + 1)..];
        return argument.SequenceEqual(source) || IsDescriptorPath(argument);
    }

    private static bool IsDescriptorPath(ReadOnlySpan<byte> argument)
    {
        ReadOnlySpan<byte> prefix = "/proc/self/fd/"u8;
        if (!argument.StartsWith(prefix) || argument.Length < prefix.Length + 2 || argument[^1] != (byte)'/')
        {
            return false;
        }

        foreach (byte b in argument[prefix.Length..^1])
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Waits up to <paramref name="patience"/> for them to finish, then SIGTERMs what is left (SIGKILL after
    /// <paramref name="terminateGrace"/>). Returns at once when there are none.</summary>
    public static async Task WaitForAsync(
        string source, string destination, string node, TimeSpan patience, TimeSpan terminateGrace, ILogger log, CancellationToken cancellationToken)
    {
        List<int> pids = Find(source, destination);
        if (pids.Count == 0)
        {
            return;
        }

        log.Warning(
            "rsync to {Node} left running by an earlier inosync (pid {Pids}): waiting up to {Patience:0} s for it before the first sync, which it could otherwise undo",
            node, pids, patience.TotalSeconds);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience && (pids = Find(source, destination)).Count > 0)
        {
            await Task.Delay(s_poll, cancellationToken);
        }

        if (pids.Count == 0)
        {
            log.Information("The earlier rsync to {Node} has finished after {Elapsed:0.0} s", node, clock.Elapsed.TotalSeconds);
            return;
        }

        log.Warning("The earlier rsync to {Node} (pid {Pids}) still runs after {Patience:0} s: terminating it", node, pids, patience.TotalSeconds);
        var trees = pids.Select(ProcessTree.Snapshot).ToList();
        trees.ForEach(t => t.Signal(Interop.Libc.Signal.SIGTERM));
        clock.Restart();
        while (clock.Elapsed < terminateGrace && Find(source, destination).Count > 0)
        {
            await Task.Delay(s_poll, cancellationToken);
        }

        trees.ForEach(t => t.Signal(Interop.Libc.Signal.SIGKILL));
    }
}
