namespace Inosync.Toml;

/// <summary>The source is not valid TOML. The message reads <c>source:line:column: what was wrong</c>.</summary>
public sealed class TomlException : Exception
{
    public TomlException()
    {
    }

    public TomlException(string message) : base(message)
    {
    }

    public TomlException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public TomlException(string sourceName, TomlPosition position, string reason)
        : base($"{sourceName}:{position.Line}:{position.Column}: {reason}")
    {
        SourceName = sourceName;
        Position = position;
        Reason = reason;
    }

    public string SourceName { get; } = "";

    public TomlPosition Position { get; }

    /// <summary>What was wrong, without the location (e.g. "expected '=' after a key").</summary>
    public string Reason { get; } = "";
}
