using Inosync.Files;
using Inosync.Processes;
using Inosync.Toml;
using Serilog.Events;

namespace Inosync.Configuration;

/// <summary>
/// Reads <c>sync.toml</c> into a validated <see cref="InosyncConfig"/>. Every problem is a <see cref="ConfigException"/>
/// with a one-line <c>file:line:column: what is wrong</c> message. Keys and their meaning: docs/configuration.md.
/// </summary>
/// <remarks>
/// Loading runs in three passes so that a bad file changes nothing on disk: read and check every table (types,
/// ranges, node strings, paths on paper, password files); check the syncs against each other; only then create
/// the directories create_dirs asks for and check the directories themselves.
/// </remarks>
public static class ConfigLoader
{
    // Far more than any real configuration; a bound so that a wrong -c (a log, a device) fails fast.
    private const int MaxConfigBytes = 1024 * 1024;

    private static readonly (string, LogEventLevel)[] s_logLevels =
    [
        ("debug", LogEventLevel.Debug),
        ("info", LogEventLevel.Information),
        ("information", LogEventLevel.Information),
        ("warning", LogEventLevel.Warning),
        ("error", LogEventLevel.Error),
    ];

    private static readonly (string, LogRotation)[] s_logRotations =
    [
        ("daily", LogRotation.Daily),
        ("external", LogRotation.External),
    ];

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The file cannot be read (<see cref="ExitCode.NoInput"/>) or is invalid.</exception>
    public static InosyncConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(ReadFile(path), path);
    }

    /// <summary>
    /// Validates <paramref name="utf8"/> as if read from <paramref name="path"/>: messages name that path and relative
    /// paths resolve against its directory. The file itself is not read.
    /// </summary>
    public static InosyncConfig Load(ReadOnlySpan<byte> utf8, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        var source = new ConfigSource(path, Path.GetDirectoryName(fullPath) ?? "/");

        TomlTable document;
        try
        {
            document = TomlReader.Parse(utf8, path);
        }
        catch (TomlException e)
        {
            throw new ConfigException(e.Message, ExitCode.Config, e);
        }

        TableReader root = TableReader.Open(document, source, ConfigScope.Global);
        Setting<string>? logFile = root.Path(ConfigKeys.LogFile);
        Setting<string>? pidFile = root.Path(ConfigKeys.PidFile);
        Setting<string>? statusFile = root.Path(ConfigKeys.StatusFile);
        Setting<string>? metricsFile = root.Path(ConfigKeys.MetricsFile);
        LogEventLevel logLevel = root.Choice(ConfigKeys.LogLevel, s_logLevels)?.Value ?? LogEventLevel.Information;
        LogRotation logRotation = root.Choice(ConfigKeys.LogRotate, s_logRotations)?.Value ?? LogRotation.Daily;
        int maxProcesses = root.Integer(ConfigKeys.MaxProcesses, min: 1, max: 1024)?.Value ?? ProcessSlots.DefaultCount;

        // Without [[sync]] tables the top level is the one sync; with them it holds their defaults.
        SyncSettings top = SyncSettings.Read(root);
        IReadOnlyList<TableReader>? syncTables = root.Tables(ConfigKeys.Sync, ConfigScope.Sync, "[[sync]]");
        List<PendingSync> syncs = syncTables is null
            ? [SyncBuilder.Build(top, defaults: null)]
            : syncTables.Select(table => SyncBuilder.Build(SyncSettings.Read(table), top)).ToList();

        CheckSyncsApart(syncs);
        foreach (PendingSync sync in syncs)
        {
            StartupDirectories.Prepare(sync);
        }

        SyncOverlaps.Check(syncs);
        DaemonFiles.Check(source, fullPath, [(ConfigKeys.PidFile, pidFile), (ConfigKeys.LogFile, logFile), (ConfigKeys.StatusFile, statusFile), (ConfigKeys.MetricsFile, metricsFile)], syncs);

        return new InosyncConfig(fullPath, syncs.Select(s => s.Config).ToArray(), logFile?.Value, pidFile?.Value, statusFile?.Value, logLevel)
        {
            LogRotation = logRotation,
            MaxProcesses = maxProcesses,
            MetricsFile = metricsFile?.Value,
        };
    }

    /// <summary>
    /// Reads only the top-level <c>status_file</c> of the file at <paramref name="path"/>, resolved like
    /// <see cref="Load(string)"/> would, but without checking the syncs or creating any directory: <c>inosync status</c>
    /// reads the file of a daemon that is already running.
    /// </summary>
    /// <exception cref="ConfigException">The file cannot be read or parsed, or has an unknown top-level key.</exception>
    public static string? ReadStatusFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        var source = new ConfigSource(path, Path.GetDirectoryName(fullPath) ?? "/");
        TomlTable document;
        try
        {
            document = TomlReader.Parse(ReadFile(path), path);
        }
        catch (TomlException e)
        {
            throw new ConfigException(e.Message, ExitCode.Config, e);
        }

        return TableReader.Open(document, source, ConfigScope.Global).Path(ConfigKeys.StatusFile)?.Value;
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return OperatingSystem.IsLinux() ? BoundedFile.ReadAllBytes(path, MaxConfigBytes) : File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the configuration file: {ReadFailure(e)}", ExitCode.NoInput, e);
        }
    }

    /// <summary>Why a file the configuration names could not be read, in a few words.</summary>
    internal static string ReadFailure(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

    /// <summary>Names identify a sync in logs and the status file; two syncs writing one target would undo each other.</summary>
    private static void CheckSyncsApart(List<PendingSync> syncs)
    {
        var byName = new Dictionary<string, SyncConfig>(StringComparer.Ordinal);
        var byTarget = new Dictionary<string, SyncConfig>(StringComparer.Ordinal);
        foreach (SyncConfig sync in syncs.Select(s => s.Config))
        {
            if (!byName.TryAdd(sync.Name, sync))
            {
                throw new ConfigException(
                    $"{sync.Location}: sync name '{sync.Name}' is also the name of the sync at {byName[sync.Name].Location}; give each [[sync]] its own 'name'");
            }

            foreach (NodeConfig node in sync.Nodes)
            {
                if (!byTarget.TryAdd(node.Target, sync))
                {
                    throw new ConfigException(
                        $"{node.Location}: node target '{node.Target}' is also a target of the sync at {byTarget[node.Target].Location}: two syncs would overwrite each other's files");
                }
            }
        }
    }
}
