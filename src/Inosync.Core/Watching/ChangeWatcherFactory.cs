using Inosync.Configuration;

namespace Inosync.Watching;

/// <summary>Picks the watcher implementation for a sync.</summary>
public static class ChangeWatcherFactory
{
    /// <summary>
    /// <see cref="WatcherKind.Auto"/>: inotify on Linux, FileSystemWatcher elsewhere. <see cref="WatcherKind.Inotify"/>
    /// on another OS throws <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    public static IChangeWatcher Create(WatcherKind kind, WatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return kind switch
        {
            WatcherKind.Auto => OperatingSystem.IsLinux() ? new InotifyWatcher(options) : new PortableWatcher(options),
            WatcherKind.Inotify => OperatingSystem.IsLinux()
                ? new InotifyWatcher(options)
                : throw new PlatformNotSupportedException("The inotify watcher needs Linux; use the portable watcher."),
            WatcherKind.Portable => new PortableWatcher(options),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown watcher kind."),
        };
    }
}
