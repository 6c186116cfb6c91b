using Inosync.Filtering;
using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>
/// Turns the settings of a [[sync]] table (or of the top level when there is none) into a <see cref="SyncConfig"/>:
/// a key in the table wins over the same key at the top level, which wins over the default. An array-valued key
/// replaces the top-level one, and the nodes (rnodes and node tables together) are inherited only as a whole.
/// Nothing here touches the disk: the directory checks come later, in <see cref="StartupDirectories"/>.
/// </summary>
internal static class SyncBuilder
{
    private const int DefaultQueueCapacity = 16384;
    private const int DefaultMaxNamesPerDirectory = 1000;
    private const string DefaultRsync = "rsync";

    public static PendingSync Build(SyncSettings own, SyncSettings? defaults)
    {
        ConfigSource source = own.Table.Source;
        TomlPosition table = own.Table.Position;
        string unset = defaults is null ? "" : " (neither this [[sync]] table nor the top level sets it)";

        Setting<string> watchPath = own.WatchPath ?? defaults?.WatchPath
            ?? throw source.Error(table, $"missing key '{ConfigKeys.WatchPath}' (the directory to watch){unset}");
        IReadOnlyList<NodeSettings> nodeSettings = own.Nodes ?? defaults?.Nodes
            ?? throw source.Error(table, $"no nodes: add '{ConfigKeys.RemoteNodes}' or a {(defaults is null ? "[[node]]" : "[[sync.node]]")} table{unset}");

        var context = new NodeContext(
            source,
            table,
            unset,
            watchPath.Value,
            own.RemotePath ?? defaults?.RemotePath,
            own.Extra ?? defaults?.Extra ?? [],
            own.Ssh ?? defaults?.Ssh,
            own.Speed ?? defaults?.Speed,
            own.Moves ?? defaults?.Moves);

        var nodes = new List<NodeConfig>(nodeSettings.Count);
        var byTarget = new Dictionary<string, NodeConfig>(StringComparer.Ordinal);
        foreach (NodeSettings settings in nodeSettings)
        {
            NodeConfig node = BuildNode(settings, context);
            if (!byTarget.TryAdd(node.Target, node))
            {
                throw new ConfigException(
                    $"{node.Location}: node \"{node.Node}\" has the same target '{node.Target}' as the node at {byTarget[node.Target].Location}");
            }

            nodes.Add(node);
        }

        (PathFilter filter, IReadOnlyList<string> filterWarnings) = FilterSettings.Build(own.Filters, defaults?.Filters);
        var config = new SyncConfig(
            Name: own.Name ?? defaults?.Name ?? watchPath.Value,
            WatchPath: watchPath.Value,
            RemotePath: context.RemotePath?.Value ?? "",
            Nodes: nodes,
            Filter: filter,
            RsyncPath: own.RsyncPath ?? defaults?.RsyncPath ?? DefaultRsync,
            ExtraDelay: own.Delay ?? defaults?.Delay ?? TimeSpan.Zero,
            InitialSync: own.InitialSync ?? defaults?.InitialSync ?? true,
            Watcher: own.Watcher ?? defaults?.Watcher ?? WatcherKind.Auto,
            QueueCapacity: own.QueueCapacity ?? defaults?.QueueCapacity ?? DefaultQueueCapacity,
            MaxNamesPerDirectory: own.MaxNamesPerDirectory ?? defaults?.MaxNamesPerDirectory ?? DefaultMaxNamesPerDirectory,
            FullSyncInterval: (own.FullSyncInterval ?? defaults?.FullSyncInterval)?.Value,
            Location: source.Locate(table))
        {
            MaxDelete = (own.MaxDelete ?? defaults?.MaxDelete) is { } maxDelete ? maxDelete.Value : SyncConfig.DefaultMaxDelete,
            OpenWriteInterval = own.OpenWriteInterval ?? defaults?.OpenWriteInterval ?? SyncConfig.DefaultOpenWriteInterval,
            RsyncTimeout = (own.RsyncTimeoutSeconds ?? defaults?.RsyncTimeoutSeconds ?? SyncConfig.DefaultRsyncTimeoutSeconds) is > 0 and var seconds
                ? TimeSpan.FromSeconds(seconds)
                : null,
            FilterWarnings = filterWarnings,
            SlowBatch = (own.SlowBatch ?? defaults?.SlowBatch) is { } slowBatch ? slowBatch.Value : SyncConfig.DefaultSlowBatch,
        };
        return new PendingSync(config, own.CreateDirs ?? defaults?.CreateDirs ?? false, source.Locate(watchPath.Position));
    }

    private static NodeConfig BuildNode(NodeSettings settings, NodeContext syncContext)
    {
        // A node table's own rpath wins over the sync's: several local targets, or hosts with different layouts.
        NodeContext context = settings.RemotePath is null ? syncContext : syncContext with { RemotePath = settings.RemotePath };
        NodeAddress address = settings.Address;
        string location = context.Source.Locate(settings.Position);
        bool daemon = address.Kind == NodeKind.RsyncDaemon;

        Setting<MoveStrategy>? moves = settings.Moves ?? context.Moves;
        if (daemon && moves is { Value: MoveStrategy.Rename } rename)
        {
            throw context.Source.Error(
                rename.Position,
                $"moves = \"rename\" cannot apply to the rsync daemon node \"{address.Text}\" (at {location}): a daemon cannot rename files, so daemon nodes always use \"transfer\"");
        }

        string target = address.Kind switch
        {
            NodeKind.Local => LocalTarget(context, location),
            NodeKind.Ssh => address.Join(RequireRemotePath(context, $"the ssh node \"{address.Text}\" at {location}").Value),
            NodeKind.FileTransfer => FileTransferEndpoint(address, context, location).Display,
            _ => address.Join(context.RemotePath?.Value ?? ""),
        };
        if (address.Kind == NodeKind.Local)
        {
            StartupDirectories.CheckApart(context.WatchPath, target, location, resolveLinks: false);
        }

        bool fileTransfer = address.Kind == NodeKind.FileTransfer;
        return new NodeConfig(
            Node: address.Text,
            Kind: address.Kind,
            Target: target,
            // The sync's extra holds rsync arguments: lftp nodes do not take them (a node table's extra is refused).
            ExtraArgs: fileTransfer ? [] : [.. RemoteShellArguments(address, settings.Ssh ?? context.Ssh), .. context.Extra, .. settings.Extra],
            SpeedLimitKBps: settings.Speed ?? context.Speed ?? 0,
            PasswordFile: settings.PasswordFile,
            Moves: moves?.Value ?? (daemon ? MoveStrategy.Transfer : MoveStrategy.Rename),
            Location: location)
        {
            Endpoint = fileTransfer ? FileTransferEndpoint(address, context, location) : null,
            Tls = settings.Tls ?? FtpTls.Auto,
            TlsCaFile = settings.TlsCaFile,
            RemoteShell = fileTransfer && NodeSettings.UsesSsh(address) ? (settings.Ssh ?? context.Ssh)?.Value : null,
        };
    }

    private static FileTransferEndpoint FileTransferEndpoint(NodeAddress address, NodeContext context, string location) =>
        address.ToEndpoint(RequireRemotePath(context, $"the node \"{address.Text}\" at {location}").Value);

    // ssh = "…" is rsync's -e for ssh nodes (and so the shell renames use); put first, a -e in extra still wins, as
    // rsync takes the last. A sync-wide ssh does not apply to its local and daemon nodes.
    private static string[] RemoteShellArguments(NodeAddress address, Setting<string>? ssh) =>
        address.Kind == NodeKind.Ssh && ssh is { } set ? ["-e", set.Value] : [];

    private static string LocalTarget(NodeContext context, string location)
    {
        Setting<string> remotePath = RequireRemotePath(context, $"the local node \"\" at {location}");
        return ConfigPaths.TryResolve(remotePath.Value, context.Source.Directory, out string fullPath) is { } problem
            ? throw context.Source.Error(remotePath.Position, $"'{ConfigKeys.RemotePath}' {problem}")
            : fullPath;
    }

    private static Setting<string> RequireRemotePath(NodeContext context, string node)
    {
        Setting<string> remotePath = context.RemotePath
            ?? throw context.Source.Error(context.Table, $"missing key '{ConfigKeys.RemotePath}': {node} needs the directory to sync into{context.Unset}");
        return remotePath.Value.Length == 0
            ? throw context.Source.Error(remotePath.Position, $"'{ConfigKeys.RemotePath}' is empty: {node} needs the directory to sync into")
            : remotePath;
    }

    /// <summary>The sync-level settings every node of one sync starts from.</summary>
    private sealed record NodeContext(
        ConfigSource Source,
        TomlPosition Table,
        string Unset,
        string WatchPath,
        Setting<string>? RemotePath,
        IReadOnlyList<string> Extra,
        Setting<string>? Ssh,
        int? Speed,
        Setting<MoveStrategy>? Moves);
}
