using System.Globalization;
using System.Runtime.Versioning;

namespace Inosync.Watching;

/// <summary>Reads the per-user inotify limits from /proc/sys/fs/inotify and words the messages that say how to
/// raise them. Read-only: the limits are the administrator's to change, never ours.</summary>
[SupportedOSPlatform("linux")]
internal static class InotifyLimits
{
    internal const string MaxUserWatches = "max_user_watches";
    internal const string MaxUserInstances = "max_user_instances";
    internal const string MaxQueuedEvents = "max_queued_events";

    /// <summary>The current value of /proc/sys/fs/inotify/<paramref name="name"/>, or null if it cannot be read.</summary>
    internal static long? Read(string name)
    {
        try
        {
            string text = File.ReadAllText("/proc/sys/fs/inotify/" + name).Trim();
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The message for ENOSPC from inotify_add_watch while establishing the watches.</summary>
    internal static string WatchLimitMessage(string root, int directoriesToWatch)
    {
        long? current = Read(MaxUserWatches);
        // Watches are counted per user across all processes (editors, IDEs, other daemons), hence the headroom.
        long suggested = RoundUp(Math.Max(directoriesToWatch * 2L, (current ?? 0) + directoriesToWatch));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"The inotify watch limit is too low to watch '{root}': fs.inotify.max_user_watches is {Describe(current)} " +
            $"(shared by all processes of this user), and the tree has {directoriesToWatch} directories to watch. " +
            $"Raise it with 'sudo sysctl fs.inotify.max_user_watches={suggested}', and make it permanent with " +
            $"'echo fs.inotify.max_user_watches={suggested} | sudo tee /etc/sysctl.d/90-inosync.conf'.");
    }

    /// <summary>The message for EMFILE from inotify_init1.</summary>
    internal static string InstanceLimitMessage()
    {
        long? current = Read(MaxUserInstances);
        long suggested = Math.Max(256, (current ?? 128) * 2);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"No inotify instance could be created: fs.inotify.max_user_instances is {Describe(current)} and this user's " +
            $"processes use them all. Raise it with 'sudo sysctl fs.inotify.max_user_instances={suggested}', and make it " +
            $"permanent with 'echo fs.inotify.max_user_instances={suggested} | sudo tee /etc/sysctl.d/90-inosync.conf'.");
    }

    private static string Describe(long? value) =>
        value is long v ? v.ToString(CultureInfo.InvariantCulture) : "unknown (/proc/sys/fs/inotify is not readable)";

    private static long RoundUp(long value) => (value + 1023) / 1024 * 1024;
}
