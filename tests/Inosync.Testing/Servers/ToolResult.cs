namespace Inosync.Testing.Servers;

/// <summary>How a command-line tool run by <see cref="ExternalTool"/> ended.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}
