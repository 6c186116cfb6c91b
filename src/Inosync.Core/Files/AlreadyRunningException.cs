namespace Inosync.Files;

/// <summary>Another process holds the <see cref="InstanceLock"/>.</summary>
public sealed class AlreadyRunningException : IOException
{
    public AlreadyRunningException()
    {
    }

    public AlreadyRunningException(string message) : base(message)
    {
    }

    public AlreadyRunningException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
