namespace Inosync.Configuration;

/// <summary>
/// The configuration cannot be used. The message is one line, normally <c>file:line:column: what is wrong</c>,
/// ready to print as it is; <see cref="ExitCode"/> is what the process should exit with.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException()
    {
    }

    public ConfigException(string message) : base(message)
    {
    }

    public ConfigException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ConfigException(string message, ExitCode exitCode, Exception? innerException = null) : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public ExitCode ExitCode { get; } = ExitCode.Config;
}
