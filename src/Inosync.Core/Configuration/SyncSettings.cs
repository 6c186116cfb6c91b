using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>
/// The sync keys of one table (the top level or a [[sync]]), type-checked, each null when absent. A [[sync]]'s
/// settings are merged over the top level's by <see cref="SyncBuilder"/>.
/// </summary>
internal sealed class SyncSettings
{
    private static readonly (string, WatcherKind)[] s_watchers =
        [("auto", WatcherKind.Auto), ("inotify", WatcherKind.Inotify), ("portable", WatcherKind.Portable)];

    private static readonly (string, MoveStrategy)[] s_moves = [("rename", MoveStrategy.Rename), ("transfer", MoveStrategy.Transfer)];

    private SyncSettings(TableReader table) => Table = table;

    public TableReader Table { get; }

    public string? Name { get; private init; }
    public Setting<string>? WatchPath { get; private init; }
    public Setting<string>? RemotePath { get; private init; }

    /// <summary><c>rnodes</c> then node tables, or null when the table has neither (then the nodes are inherited).</summary>
    public IReadOnlyList<NodeSettings>? Nodes { get; private init; }

    public required FilterSettings Filters { get; init; }
    public IReadOnlyList<string>? Extra { get; private init; }
    public Setting<string>? Ssh { get; private init; }
    public int? Speed { get; private init; }
    public string? RsyncPath { get; private init; }
    public TimeSpan? Delay { get; private init; }
    public bool? InitialSync { get; private init; }
    public WatcherKind? Watcher { get; private init; }
    public int? QueueCapacity { get; private init; }
    public int? MaxNamesPerDirectory { get; private init; }

    /// <summary>Set: the key was present (its value null for "off"); null: absent.</summary>
    public Setting<TimeSpan?>? FullSyncInterval { get; private init; }

    public Setting<MoveStrategy>? Moves { get; private init; }
    public bool? CreateDirs { get; private init; }

    /// <summary>Set: the key was present (its value null for "off"); null: absent.</summary>
    public Setting<int?>? MaxDelete { get; private init; }

    public int? RsyncTimeoutSeconds { get; private init; }

    public TimeSpan? OpenWriteInterval { get; private init; }

    /// <summary>Set: the key was present (its value null for "off"); null: absent.</summary>
    public Setting<TimeSpan?>? SlowBatch { get; private init; }

    public static SyncSettings Read(TableReader table) => new(table)
    {
        Name = ReadName(table),
        WatchPath = table.Path(ConfigKeys.WatchPath),
        RemotePath = table.String(ConfigKeys.RemotePath),
        Nodes = ReadNodes(table),
        Filters = FilterSettings.Read(table),
        Extra = ReadExtra(table),
        Ssh = ReadSsh(table),
        Speed = table.Integer(ConfigKeys.Speed, 0)?.Value,
        RsyncPath = ReadRsync(table),
        Delay = table.Seconds(ConfigKeys.Delay)?.Value,
        InitialSync = table.Boolean(ConfigKeys.InitialSync)?.Value,
        Watcher = table.Choice(ConfigKeys.Watcher, s_watchers)?.Value,
        QueueCapacity = table.Integer(ConfigKeys.QueueCapacity, 1)?.Value,
        MaxNamesPerDirectory = table.Integer(ConfigKeys.MaxNamesPerDirectory, 1)?.Value,
        FullSyncInterval = table.Duration(ConfigKeys.FullSyncInterval),
        Moves = ReadMoves(table),
        CreateDirs = table.Boolean(ConfigKeys.CreateDirs)?.Value,
        MaxDelete = table.IntegerOrOff(ConfigKeys.MaxDelete, 0),
        RsyncTimeoutSeconds = table.Integer(ConfigKeys.RsyncTimeout, 0, 86400)?.Value,
        OpenWriteInterval = ReadOpenWriteInterval(table),
        SlowBatch = table.Duration(ConfigKeys.SlowBatch),
    };

    /// <summary><c>extra</c>, in a sync or a node table: raw rsync arguments.</summary>
    public static string[]? ReadExtra(TableReader table) =>
        table.Strings(ConfigKeys.Extra, allowEmptyItems: false, " (rsync would take an empty argument for a file name)")?.Value
            .Select(s => s.Value)
            .ToArray();

    public static Setting<MoveStrategy>? ReadMoves(TableReader table) => table.Choice(ConfigKeys.Moves, s_moves);

    /// <summary><c>ssh</c>, in a sync or a node table: the remote shell command line for ssh nodes (rsync's <c>-e</c>).</summary>
    public static Setting<string>? ReadSsh(TableReader table)
    {
        Setting<string>? ssh = table.String(ConfigKeys.Ssh);
        return ssh is { } set && string.IsNullOrWhiteSpace(set.Value)
            ? throw table.Source.Error(set.Position, $"'{ConfigKeys.Ssh}' is empty (leave it out for plain ssh)")
            : ssh;
    }

    private static TimeSpan? ReadOpenWriteInterval(TableReader table)
    {
        Setting<TimeSpan>? interval = table.Seconds(ConfigKeys.OpenWriteInterval);
        return interval is { } set && set.Value < TimeSpan.FromSeconds(1)
            ? throw table.Source.Error(set.Position, $"'{ConfigKeys.OpenWriteInterval}' must be at least 1 second (a file left alone for 1 s is synced anyway)")
            : interval?.Value;
    }

    private static string? ReadName(TableReader table)
    {
        Setting<string>? name = table.String(ConfigKeys.Name);
        return name is { } n && string.IsNullOrWhiteSpace(n.Value)
            ? throw table.Source.Error(n.Position, $"'{ConfigKeys.Name}' is empty")
            : name?.Value;
    }

    private static string? ReadRsync(TableReader table)
    {
        if (table.String(ConfigKeys.Rsync) is not { } rsync)
        {
            return null;
        }

        if (rsync.Value.Length == 0)
        {
            throw table.Source.Error(rsync.Position, $"'{ConfigKeys.Rsync}' is empty (leave it out to find rsync on PATH)");
        }

        // A bare name is looked up on PATH when rsync is started; only a path is resolved here.
        if (!rsync.Value.Contains('/', StringComparison.Ordinal))
        {
            return rsync.Value;
        }

        return ConfigPaths.TryResolve(rsync.Value, table.Source.Directory, out string fullPath) is { } problem
            ? throw table.Source.Error(rsync.Position, $"'{ConfigKeys.Rsync}' {problem}")
            : fullPath;
    }

    private static List<NodeSettings>? ReadNodes(TableReader table)
    {
        Setting<IReadOnlyList<Setting<string>>>? strings = table.Strings(ConfigKeys.RemoteNodes, allowEmptyItems: true);
        string header = table.Scope == ConfigScope.Sync ? "[[sync.node]]" : "[[node]]";
        IReadOnlyList<TableReader>? tables = table.Tables(ConfigKeys.Node, ConfigScope.Node, header);
        if (strings is null && tables is null)
        {
            return null;
        }

        if (strings is { Value.Count: 0 } empty && tables is null)
        {
            throw table.Source.Error(empty.Position, $"'{ConfigKeys.RemoteNodes}' is empty: name at least one node, or add a {header} table");
        }

        var nodes = new List<NodeSettings>();
        foreach (Setting<string> node in strings?.Value ?? [])
        {
            nodes.Add(NodeSettings.FromString(node, table.Source));
        }

        foreach (TableReader nodeTable in tables ?? [])
        {
            nodes.Add(NodeSettings.FromTable(nodeTable));
        }

        return nodes;
    }
}
