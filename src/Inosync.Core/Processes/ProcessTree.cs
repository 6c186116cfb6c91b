using System.Globalization;

namespace Inosync.Processes;

/// <summary>
/// A snapshot of a process and its descendants from /proc, so that a signal reaches the whole tree the way a
/// terminal's Ctrl-C reaches a whole process group (our children share the daemon's group, so killpg is out).
/// Each process is remembered with its start time: a pid that was reused since the snapshot is left alone.
/// </summary>
internal sealed class ProcessTree
{
    private readonly List<(int Pid, long StartTime)> _processes;

    private ProcessTree(List<(int Pid, long StartTime)> processes)
    {
        _processes = processes;
    }

    /// <summary>The process and every descendant, parents first. Without /proc: just the process.</summary>
    public static ProcessTree Snapshot(int rootPid)
    {
        var children = new Dictionary<int, List<(int Pid, long StartTime)>>();
        long? rootStart = null;
        try
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    || ReadStat(pid) is not { } stat)
                {
                    continue;
                }

                if (pid == rootPid)
                {
                    rootStart = stat.StartTime;
                }

                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add((pid, stat.StartTime));
            }
        }
        catch (IOException)
        {
            // No /proc (not Linux): the root alone.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }

        var processes = new List<(int Pid, long StartTime)> { (rootPid, rootStart ?? -1) };
        for (var i = 0; i < processes.Count; i++)
        {
            if (children.TryGetValue(processes[i].Pid, out var list))
            {
                processes.AddRange(list);
            }
        }

        return new ProcessTree(processes);
    }

    /// <summary>Whether <paramref name="ancestorPid"/> is a parent, grandparent, … of <paramref name="pid"/>.</summary>
    public static bool IsDescendantOf(int pid, int ancestorPid)
    {
        // Bounded: a pid reused mid-walk must not loop for ever.
        for (var depth = 0; depth < 64 && pid > 1; depth++)
        {
            if (ReadStat(pid) is not { } stat)
            {
                return false;
            }

            if (stat.ParentPid == ancestorPid)
            {
                return true;
            }

            pid = stat.ParentPid;
        }

        return false;
    }

    /// <summary>The number of processes in the snapshot.</summary>
    public int Count => _processes.Count;

    /// <summary>Sends <paramref name="signal"/> to every process of the snapshot that still is the same process.</summary>
    public void Signal(Interop.Libc.Signal signal)
    {
        foreach (var (pid, startTime) in _processes)
        {
            if (startTime < 0 || ReadStat(pid)?.StartTime == startTime)
            {
                // ESRCH (already gone) is the only likely error, and fine.
                _ = Interop.Libc.Kill(pid, signal);
            }
        }
    }

    /// <summary>Fields of /proc/PID/stat: "pid (comm) state ppid … starttime(22nd) …"; comm may hold spaces and parentheses.</summary>
    private static (int ParentPid, long StartTime)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var afterComm = text.LastIndexOf(')');
        if (afterComm < 0)
        {
            return null;
        }

        // After ") ": field 3 (state) is index 0, so field N is index N - 3.
        var fields = text[(afterComm + 2)..].Split(' ');
        if (fields.Length < 20
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            || !long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return (parent, start);
    }
}
