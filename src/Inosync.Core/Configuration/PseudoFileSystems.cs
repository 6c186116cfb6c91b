using System.Runtime.Versioning;
using System.Text;

namespace Inosync.Configuration;

/// <summary>
/// Mounts of kernel pseudo file systems (/proc, /sys, /dev, cgroups …), read from /proc/self/mountinfo. Their files
/// are not data: they change by themselves, some never end when read, and inotify does not see their changes.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class PseudoFileSystems
{
    private static readonly HashSet<string> s_types = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs", "pstore",
        "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs", "efivarfs", "autofs", "binfmt_misc", "rpc_pipefs",
        "nsfs", "selinuxfs",
    };

    /// <summary>The pseudo mount that <paramref name="directory"/> lies on, if any (the nearest mount above it).</summary>
    public static (string MountPoint, string Type)? Holding(string directory) =>
        Mounts()
            .Where(m => ConfigPaths.IsSameOrInside(directory, m.MountPoint))
            .OrderByDescending(m => m.MountPoint.Length)
            .Select(m => ((string, string)?)m)
            .FirstOrDefault() is { } nearest && s_types.Contains(nearest.Item2)
            ? nearest
            : null;

    /// <summary>The pseudo mounts strictly below <paramref name="directory"/>, outermost first.</summary>
    public static IEnumerable<(string MountPoint, string Type)> Below(string directory) =>
        Mounts()
            .Where(m => s_types.Contains(m.Type) && m.MountPoint != directory && ConfigPaths.IsSameOrInside(m.MountPoint, directory))
            .OrderBy(m => m.MountPoint.Length);

    private static List<(string MountPoint, string Type)> Mounts()
    {
        var mounts = new List<(string, string)>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/mountinfo");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return mounts;
        }

        foreach (string line in lines)
        {
            // "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw": field 5 is the mount point,
            // the first field after " - " the type.
            int separator = line.IndexOf(" - ", StringComparison.Ordinal);
            string[] fields = line.Split(' ');
            if (separator < 0 || fields.Length < 5)
            {
                continue;
            }

            string type = line[(separator + 3)..].Split(' ')[0];
            mounts.Add((Unescape(fields[4]), type));
        }

        return mounts;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \ooo.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
