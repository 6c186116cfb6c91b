using Inosync.Filtering;

namespace Inosync.Configuration;

/// <summary>One watched tree and the nodes it is mirrored to.</summary>
/// <param name="Name">A label for logs: the <c>name</c> key, or the watched path.</param>
/// <param name="WatchPath">wpath: absolute, normalised, no trailing slash.</param>
/// <param name="RemotePath">rpath as written (joined onto each node).</param>
/// <param name="Nodes">The nodes, at least one, no two with the same target.</param>
/// <param name="Filter">The filter rules (rexcludes, exclude_from, filter, filter_from), compiled once for the watcher,
/// the coalescer and every rsync: what rsync's first matching rule excludes is neither watched nor synced.</param>
/// <param name="RsyncPath">The rsync binary: the <c>rsync</c> key, or "rsync" to be found on PATH.</param>
/// <param name="ExtraDelay">edelay: wait this long before a batch starts (zero: start at once).</param>
/// <param name="InitialSync">Whether each node gets a full sync at startup.</param>
/// <param name="Watcher">Which watcher implementation.</param>
/// <param name="QueueCapacity">Capacity of the bounded channel between watcher and coalescer.</param>
/// <param name="MaxNamesPerDirectory">More changed names than this in one directory collapse to the whole directory.</param>
/// <param name="FullSyncInterval">Period of the drift-repairing full sync, or null for none.</param>
/// <param name="Location">Where this sync was defined ("file:line:column"), for messages.</param>
public sealed record SyncConfig(
    string Name,
    string WatchPath,
    string RemotePath,
    IReadOnlyList<NodeConfig> Nodes,
    PathFilter Filter,
    string RsyncPath,
    TimeSpan ExtraDelay,
    bool InitialSync,
    WatcherKind Watcher,
    int QueueCapacity,
    int MaxNamesPerDirectory,
    TimeSpan? FullSyncInterval,
    string Location)
{
    /// <summary>One line per filter rule that is ignored (empty) or can never match, with its place: logged at start, shown by check.</summary>
    public IReadOnlyList<string> FilterWarnings { get; init; } = [];

    /// <summary>What <see cref="MaxDelete"/> is when the file does not say.</summary>
    public const int DefaultMaxDelete = 1000;

    /// <summary>
    /// max_delete: how many entries the first full sync of a node (at start) may delete at most, or null for no
    /// limit. A restart on an unmounted or wrongly emptied wpath must not wipe the nodes.
    /// </summary>
    public int? MaxDelete { get; init; } = DefaultMaxDelete;

    /// <summary>What open_write_interval is when the file does not say.</summary>
    public static readonly TimeSpan DefaultOpenWriteInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// open_write_interval: a file kept open and written without pause (a log, a download) is synced at least this
    /// often; files closed or left alone for 1 s are synced at once anyway.
    /// </summary>
    public TimeSpan OpenWriteInterval { get; init; } = DefaultOpenWriteInterval;

    /// <summary>What rsync_timeout is when the file does not say (seconds).</summary>
    public const int DefaultRsyncTimeoutSeconds = 120;

    /// <summary>
    /// rsync_timeout: rsync gives up when no data moves for this long (--timeout) and, for rsync daemons, when the
    /// connection is not answered in this long (--contimeout); null for none. A node that accepts the connection and
    /// never answers must fail and be retried, not hang its worker for ever.
    /// </summary>
    public TimeSpan? RsyncTimeout { get; init; }

    /// <summary>What slow_batch is when the file does not say.</summary>
    public static readonly TimeSpan DefaultSlowBatch = TimeSpan.FromHours(1);

    /// <summary>
    /// slow_batch: a batch (rsync, or the renames before it) still running after this long is reported in the log and
    /// makes the node count as failing in the status until it ends; null for never. rsync_timeout only catches a node
    /// that stops moving data, not one that moves it at a trickle.
    /// </summary>
    public TimeSpan? SlowBatch { get; init; } = DefaultSlowBatch;
}
