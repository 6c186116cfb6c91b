namespace Inosync.Configuration;

/// <summary>Every key the file may contain, which tables allow it, and what to say about one that is not allowed.</summary>
internal static class ConfigKeys
{
    // Top level only.
    public const string LogFile = "log_file";
    public const string PidFile = "pid_file";
    public const string StatusFile = "status_file";
    public const string MetricsFile = "metrics_file";
    public const string LogLevel = "log_level";
    public const string LogRotate = "log_rotate";
    public const string MaxProcesses = "max_processes";

    // Sync keys: at the top level (the one sync, or defaults for every [[sync]]) and in [[sync]].
    public const string Name = "name";
    public const string WatchPath = "wpath";
    public const string RemotePath = "rpath";
    public const string RemoteNodes = "rnodes";
    public const string Excludes = "rexcludes";
    public const string ExcludeFrom = "exclude_from";
    public const string Filter = "filter";
    public const string FilterFrom = "filter_from";
    public const string Extra = "extra";
    public const string Ssh = "ssh";
    public const string Speed = "rspeed";
    public const string Rsync = "rsync";
    public const string Delay = "edelay";
    public const string InitialSync = "initial_sync";
    public const string Watcher = "watcher";
    public const string QueueCapacity = "queue_capacity";
    public const string MaxNamesPerDirectory = "max_names_per_directory";
    public const string FullSyncInterval = "full_sync_interval";
    public const string Moves = "moves";
    public const string CreateDirs = "create_dirs";
    public const string MaxDelete = "max_delete";
    public const string RsyncTimeout = "rsync_timeout";
    public const string OpenWriteInterval = "open_write_interval";
    public const string SlowBatch = "slow_batch";

    // Tables.
    public const string Sync = "sync";
    public const string Node = "node";

    // Node tables only (rpath, extra, rspeed and moves are shared with the sync keys; a node's rpath overrides the sync's).
    public const string Target = "target";
    public const string PasswordFile = "password_file";
    public const string Tls = "tls";
    public const string TlsCaFile = "tls_ca_file";

    private static readonly string[] s_globalOnly = [LogFile, LogRotate, PidFile, StatusFile, MetricsFile, LogLevel, MaxProcesses];

    private static readonly string[] s_syncKeys =
    [
        Name, WatchPath, RemotePath, RemoteNodes, Excludes, ExcludeFrom, Filter, FilterFrom, Extra, Ssh, Speed, Rsync, Delay, InitialSync, Watcher,
        QueueCapacity, MaxNamesPerDirectory, FullSyncInterval, Moves, CreateDirs, MaxDelete, RsyncTimeout,
        OpenWriteInterval, SlowBatch,
    ];

    private static readonly string[] s_nodeKeys = [Target, RemotePath, Extra, Ssh, PasswordFile, Tls, TlsCaFile, Speed, Moves];

    private static readonly string[] s_globalKeys = [.. s_globalOnly, .. s_syncKeys, Sync, Node];
    private static readonly string[] s_syncTableKeys = [.. s_syncKeys, Node];

    /// <summary>Keys of the Python inosync that have no equivalent here, with what to do instead.</summary>
    private static readonly Dictionary<string, string> s_retired = new(StringComparer.Ordinal)
    {
        ["emask"] = "'emask' is not supported: inosync syncs on every kind of change",
        ["wpaths"] = "'wpaths' is not supported: write one [[sync]] table per watched directory",
        ["rpaths"] = "'rpaths' is not supported: write one [[sync]] table per watched directory",
    };

    public static IReadOnlyList<string> AllowedIn(ConfigScope scope) => scope switch
    {
        ConfigScope.Global => s_globalKeys,
        ConfigScope.Sync => s_syncTableKeys,
        _ => s_nodeKeys,
    };

    /// <summary>Why <paramref name="key"/> may not appear in a table of <paramref name="scope"/>, or null when it may.</summary>
    public static string? Problem(string key, ConfigScope scope)
    {
        IReadOnlyList<string> allowed = AllowedIn(scope);
        if (allowed.Contains(key))
        {
            return null;
        }

        if (s_globalOnly.Contains(key))
        {
            return $"'{key}' is only allowed at the top level of the file, not {Describe(scope)}";
        }

        if (key is Target or PasswordFile or Tls or TlsCaFile)
        {
            string table = scope == ConfigScope.Sync ? "[[sync.node]]" : "[[node]] or [[sync.node]]";
            return $"'{key}' is only allowed in a node table ({table})";
        }

        if (key == Sync && scope == ConfigScope.Sync)
        {
            return "[[sync]] tables cannot be nested";
        }

        if (scope == ConfigScope.Node && (s_syncKeys.Contains(key) || key is Sync or Node))
        {
            return $"'{key}' is not allowed in a node table (allowed there: {string.Join(", ", s_nodeKeys)})";
        }

        if (s_retired.TryGetValue(key, out string? retired))
        {
            return retired;
        }

        IReadOnlyList<string> nearest = EditDistance.Nearest(key, allowed);
        return nearest.Count == 0
            ? $"unknown key '{key}'"
            : $"unknown key '{key}' (did you mean {string.Join(" or ", nearest.Select(k => $"'{k}'"))}?)";
    }

    private static string Describe(ConfigScope scope) =>
        scope == ConfigScope.Sync ? "in a [[sync]] table" : "in a node table";
}
