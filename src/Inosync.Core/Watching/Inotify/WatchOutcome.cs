namespace Inosync.Watching.Inotify;

/// <summary>What became of a directory <see cref="WatchTree"/> was asked to watch.</summary>
internal enum WatchOutcome
{
    Watched,

    /// <summary>It is gone (or no longer a directory); the event that says so is still in the queue.</summary>
    Vanished,

    /// <summary>It exists but cannot be watched (limit, permissions): it is rescanned instead.</summary>
    Unwatchable,
}
