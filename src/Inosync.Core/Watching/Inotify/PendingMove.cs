namespace Inosync.Watching.Inotify;

/// <summary>An IN_MOVED_FROM waiting for the event after it (its IN_MOVED_TO, or anything else: then it left the tree).</summary>
internal sealed record PendingMove(WatchedDirectory Directory, string Name, bool IsDirectory, uint Cookie);
