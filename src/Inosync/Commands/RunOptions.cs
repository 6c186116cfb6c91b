namespace Inosync.Cli.Commands;

/// <summary>What the command line asked the daemon to do.</summary>
internal sealed record RunOptions(string ConfigPath, bool Verbose, bool Pretend, string? LogFile, bool Daemonize = false);
