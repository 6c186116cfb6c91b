using Serilog.Events;

namespace Inosync.Configuration;

/// <summary>A whole configuration file, validated: every path absolute, every default applied.</summary>
/// <param name="ConfigPath">Absolute path of the file it was read from.</param>
/// <param name="Syncs">One entry per watched tree (one when the file has no [[sync]] tables).</param>
/// <param name="LogFile">Absolute path of the log file (always written at exactly this path, reopened on SIGHUP), or null for the console only.</param>
/// <param name="PidFile">Absolute path of the pid file, or null.</param>
/// <param name="StatusFile">Absolute path of the JSON status file, or null.</param>
/// <param name="LogLevel">Minimum level written to the log.</param>
public sealed record InosyncConfig(
    string ConfigPath,
    IReadOnlyList<SyncConfig> Syncs,
    string? LogFile,
    string? PidFile,
    string? StatusFile,
    LogEventLevel LogLevel)
{
    /// <summary>Who rotates <see cref="LogFile"/>: inosync, daily (the default), or an external tool such as logrotate.</summary>
    public LogRotation LogRotation { get; init; } = LogRotation.Daily;

    /// <summary>Absolute path of the Prometheus metrics file (node_exporter's textfile collector), or null.</summary>
    public string? MetricsFile { get; init; }

    /// <summary>How many rsync (client) processes may run at once, over every sync and node (max_processes).</summary>
    public int MaxProcesses { get; init; } = Processes.ProcessSlots.DefaultCount;
}
