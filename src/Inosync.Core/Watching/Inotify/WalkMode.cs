namespace Inosync.Watching.Inotify;

/// <summary>Why <see cref="WatchTree"/> walks a directory, which decides what a failure means.</summary>
internal enum WalkMode
{
    /// <summary>The start-up walk: nothing is rescanned (the initial sync covers the tree); ENOSPC is fatal.</summary>
    Startup,

    /// <summary>A directory appeared while running: failures are rescanned.</summary>
    Runtime,
}
