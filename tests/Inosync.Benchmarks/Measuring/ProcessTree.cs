using System.Globalization;

namespace Inosync.Benchmarks.Measuring;

/// <summary>One process as /proc/PID/stat shows it.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="ParentPid">Its parent.</param>
/// <param name="Name">comm: the executable name, at most 15 characters.</param>
/// <param name="OwnTicks">utime + stime: CPU the process used itself.</param>
/// <param name="ChildTicks">cutime + cstime: CPU of children it has waited for (with their own waited-for children).</param>
/// <param name="StartTime">starttime, to tell a process from a later one that reuses its pid.</param>
internal sealed record ProcessStat(int Pid, int ParentPid, string Name, long OwnTicks, long ChildTicks, long StartTime)
{
    public bool IsRsync => Name == "rsync";
}

/// <summary>CPU of a daemon and of the rsync processes it started, in seconds, at one moment.</summary>
/// <param name="DaemonSeconds">The daemon's own processes (everything in the tree that is not rsync).</param>
/// <param name="RsyncSeconds">rsync processes: the live ones, plus every child the tree has already reaped.</param>
internal readonly record struct CpuSample(double DaemonSeconds, double RsyncSeconds)
{
    public static CpuSample operator -(CpuSample end, CpuSample start) =>
        new(end.DaemonSeconds - start.DaemonSeconds, end.RsyncSeconds - start.RsyncSeconds);

    public double TotalSeconds => DaemonSeconds + RsyncSeconds;
}

/// <summary>
/// Reads a process and its descendants from /proc: CPU (utime/stime of the live processes plus cutime/cstime for
/// the children they reaped, so an rsync that already exited is still counted) and memory (VmRSS/VmHWM).
/// </summary>
internal static class ProcessTree
{
    private static readonly double s_ticksPerSecond = Interop.Libc.ClockTicksPerSecond();

    /// <summary>The process and all its live descendants (empty when the process is gone).</summary>
    public static List<ProcessStat> Snapshot(int rootPid)
    {
        var all = new Dictionary<int, ProcessStat>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && Read(pid) is { } stat)
            {
                all[pid] = stat;
            }
        }

        var tree = new List<ProcessStat>();
        if (!all.TryGetValue(rootPid, out ProcessStat? root))
        {
            return tree;
        }

        var children = all.Values.ToLookup(p => p.ParentPid);
        tree.Add(root);
        for (int i = 0; i < tree.Count; i++)
        {
            tree.AddRange(children[tree[i].Pid]);
        }

        return tree;
    }

    public static CpuSample Cpu(int rootPid) => Cpu(Snapshot(rootPid));

    public static CpuSample Cpu(IReadOnlyList<ProcessStat> tree)
    {
        long daemon = 0;
        long rsync = 0;
        foreach (ProcessStat process in tree)
        {
            if (process.IsRsync)
            {
                rsync += process.OwnTicks;
            }
            else
            {
                daemon += process.OwnTicks;
            }

            // Whatever a process reaped is rsync (and rsync's own children): the daemons start nothing else while
            // measured. inosync's one `rsync --version` at startup happens before any measurement starts.
            rsync += process.ChildTicks;
        }

        return new CpuSample(daemon / s_ticksPerSecond, rsync / s_ticksPerSecond);
    }

    /// <summary>CPU seconds of every child this process has waited for (cutime + cstime of /proc/self/stat): around
    /// one rsync started and waited for by the benchmark, that rsync's CPU with its own children.</summary>
    public static double ReapedChildrenSeconds() =>
        Read(Environment.ProcessId) is { } self ? self.ChildTicks / s_ticksPerSecond : double.NaN;

    /// <summary>Whether an rsync is running anywhere below <paramref name="rootPid"/>.</summary>
    public static bool HasRsync(int rootPid) => Snapshot(rootPid).Exists(p => p.IsRsync);

    /// <summary>VmRSS and VmHWM (peak) in KiB, summed over the daemon's own processes (not rsync).</summary>
    public static (long RssKiB, long PeakKiB) Memory(int rootPid)
    {
        long rss = 0;
        long peak = 0;
        foreach (ProcessStat process in Snapshot(rootPid).Where(p => !p.IsRsync))
        {
            (long r, long h) = MemoryOf(process.Pid);
            rss += r;
            peak += h;
        }

        return (rss, peak);
    }

    public static ProcessStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile
        }

        // "pid (comm) state ppid ..." — comm may contain spaces and parentheses: it ends at the last ')'.
        int open = text.IndexOf('(', StringComparison.Ordinal);
        int close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        string name = text[(open + 1)..close];
        string[] fields = text[(close + 2)..].Split(' ');

        // fields[0] is field 3 (state) of proc(5).
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcessStat(
            pid,
            (int)Field(4),
            name,
            Field(14) + Field(15),
            Field(16) + Field(17),
            Field(22));
    }

    private static (long RssKiB, long PeakKiB) MemoryOf(int pid)
    {
        long rss = 0;
        long peak = 0;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = ParseKiB(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = ParseKiB(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Exited meanwhile.
        }

        return (rss, peak);
    }

    private static long ParseKiB(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
