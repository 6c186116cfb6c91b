namespace Inosync.Watching;

/// <summary>The kernel refused a new watch because <c>fs.inotify.max_user_watches</c> is reached (ENOSPC),
/// or no inotify instance could be created (EMFILE). The message names the limit, its value and the fix.</summary>
public sealed class WatchLimitException : Exception
{
    public WatchLimitException()
    {
    }

    public WatchLimitException(string message) : base(message)
    {
    }

    public WatchLimitException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
