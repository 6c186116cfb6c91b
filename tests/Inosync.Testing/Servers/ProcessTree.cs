using System.Globalization;

namespace Inosync.Testing.Servers;

/// <summary>A process identified by its pid and its start time, so a recycled pid is never signalled by mistake.</summary>
internal readonly record struct ProcessIdentity(int Pid, ulong StartTime);

/// <summary>
/// Finds and signals the descendants of a server process. sshd and rsync --daemon fork one child per connection;
/// those children outlive a SIGTERM to the listener, so a fixture collects them first and stops them too.
/// Reads /proc/[pid]/stat only.
/// </summary>
internal static class ProcessTree
{
    /// <summary>The process with this pid as it is now, or null when it is gone (or a zombie).</summary>
    public static ProcessIdentity? Identify(int pid) =>
        TryReadStat(pid, out _, out ulong startTime, out char state) && state != 'Z' ? new ProcessIdentity(pid, startTime) : null;

    /// <summary>All live descendants of <paramref name="root"/> (children first-level first).</summary>
    public static IReadOnlyList<ProcessIdentity> Descendants(int root)
    {
        var children = new Dictionary<int, List<ProcessIdentity>>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || !TryReadStat(pid, out int parent, out ulong startTime, out char state) || state == 'Z')
            {
                continue;
            }

            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add(new ProcessIdentity(pid, startTime));
        }

        var result = new List<ProcessIdentity>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out int pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                result.Add(child);
                pending.Enqueue(child.Pid);
            }
        }

        return result;
    }

    /// <summary>True while the very same process (pid and start time) is still running.</summary>
    public static bool IsAlive(ProcessIdentity process) => Identify(process.Pid) == process;

    /// <summary>Sends a signal if the process is still the one we identified; a vanished process is not an error.</summary>
    public static void Signal(ProcessIdentity process, Interop.Libc.Signal signal)
    {
        if (IsAlive(process))
        {
            _ = Interop.Libc.Kill(process.Pid, signal);
        }
    }

    private static bool TryReadStat(int pid, out int parent, out ulong startTime, out char state)
    {
        parent = 0;
        startTime = 0;
        state = '?';
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid … starttime …": comm may contain spaces and parentheses, so split after the last ')'.
        int close = text.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        string[] fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int StateIndex = 0, ParentIndex = 1, StartTimeIndex = 19; // stat fields 3, 4 and 22
        if (fields.Length <= StartTimeIndex
            || !int.TryParse(fields[ParentIndex], NumberStyles.None, CultureInfo.InvariantCulture, out parent)
            || !ulong.TryParse(fields[StartTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out startTime))
        {
            return false;
        }

        state = fields[StateIndex][0];
        return true;
    }
}
