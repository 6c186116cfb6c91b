namespace Inosync.Configuration;

/// <summary>A sync read and checked on paper; what the start-up checks on disk still need to know about it.</summary>
/// <param name="Config">The finished record.</param>
/// <param name="CreateDirs">create_dirs: make a missing wpath and local node targets.</param>
/// <param name="WatchPathLocation">Where wpath was written ("file:line:column").</param>
internal sealed record PendingSync(SyncConfig Config, bool CreateDirs, string WatchPathLocation);
