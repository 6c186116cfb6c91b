namespace Inosync.Watching.Inotify;

/// <summary>Why <see cref="IInotify.Wait"/> returned.</summary>
internal enum InotifyReadiness
{
    Readable,
    TimedOut,
    Stopping,
}
