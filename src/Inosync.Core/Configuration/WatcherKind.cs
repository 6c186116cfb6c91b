namespace Inosync.Configuration;

public enum WatcherKind
{
    /// <summary>inotify on Linux, the portable watcher elsewhere.</summary>
    Auto,
    Inotify,

    /// <summary>System.IO.FileSystemWatcher: macOS, Windows, or for testing on Linux.</summary>
    Portable,
}
