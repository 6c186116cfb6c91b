using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Renaming;
using Inosync.Rsync;
using Serilog;

namespace Inosync.Nodes;

/// <summary>
/// Sends a batch with rsync: the moves first as renames where the node can do them (the rsync that follows then finds
/// the moved data in place and sends next to nothing), then one rsync of the batch's shape (<see cref="RsyncCommand"/>),
/// read from the pinned source; its exit code and stderr classified (<see cref="RsyncExitCodes"/>, <see cref="RsyncErrors"/>).
/// </summary>
internal sealed class RsyncTransport : INodeTransport
{
    private readonly SyncConfig _sync;
    private readonly NodeConfig _node;
    private readonly PinnedSource? _source;
    private readonly ILogger _log;
    private readonly NodeWorkerOptions _options;
    private readonly ProcessRunner _runner;
    private readonly NodeRenamer _renamer;
    private readonly QuickCheckGuard _quickCheck = new();

    public RsyncTransport(SyncConfig sync, NodeConfig node, PinnedSource? source, NodeWorkerOptions options, ILogger log, ILogger renamerLog)
    {
        _sync = sync;
        _node = node;
        _source = source;
        _options = options;
        _log = log;
        _runner = new ProcessRunner(options.TerminateGrace);
        _renamer = new NodeRenamer(renamerLog);
    }

    /// <summary>
    /// An rsync an earlier, killed inosync left running for this node is waited for (then terminated) before the first
    /// sync, so that it cannot finish later and undo it (<see cref="LeftoverRsyncs"/>).
    /// </summary>
    public async Task PrepareAsync(CancellationToken stopping)
    {
        if (OperatingSystem.IsLinux())
        {
            var (source, destination) = RsyncCommand.Endpoints(_sync, _node);
            await LeftoverRsyncs.WaitForAsync(source, destination, _node.Target, _options.LeftoverRsyncPatience, _options.TerminateGrace, _log, stopping);
        }
    }

    public async Task<TransportResult> SendAsync(SyncBatch batch, TransportContext context, CancellationToken deadline)
    {
        string? pinned = null;
        if (_source is not null && OperatingSystem.IsLinux())
        {
            if (!_source.StillNamedByPath())
            {
                return TransportResult.RefusedBecause("wpath no longer names the watched directory");
            }

            pinned = _source.RsyncSource;
        }

        string sourceRoot = pinned ?? Path.TrimEndingDirectorySeparator(_sync.WatchPath) + "/";
        bool checksum = _quickCheck.NeedsChecksum(batch, sourceRoot);
        var (command, deleteLimit) = CommandFor(batch, _sync, _node, pinned, context.FirstFullSyncDone, checksum);
        if (batch.FullSync)
        {
            _log.Information("Full sync of {Node} started", _node.Target);
        }

        // Whatever the renamer does not apply, the rsync transfers as usual.
        if (RenamesFirst(batch, _node))
        {
            int renamed = await _renamer.RenameAsync(_node, batch.Moves, deadline);
            _log.Debug("Renamed {Renamed} of {Count} moved paths on {Node} before syncing", renamed, batch.Moves.Count, _node.Target);
        }

        _log.Debug("Running {Command:l}", command.ToShellString());
        context.ProcessStarting();

        // Wall-clock time on purpose: the windows are compared with file mtimes.
        DateTimeOffset started = TimeProvider.System.GetUtcNow();
        ProcessResult result;
        try
        {
            result = await _runner.RunAsync(command.FileName, command.Arguments, command.StandardInput, deadline);
        }
        finally
        {
            _quickCheck.RecordRun(started, TimeProvider.System.GetUtcNow());
        }

        var outcome = RsyncExitCodes.Classify(result.ExitCode);
        IReadOnlyList<string> unsendable = [];
        if (outcome == RsyncOutcome.PartialTransfer && RsyncErrors.UnsendableNames(result.StandardError) is { } names)
        {
            // Everything else was transferred; these names can never be (rsync's limit is the same on every side).
            unsendable = names;
            outcome = RsyncOutcome.Success;
        }
        else if (outcome == RsyncOutcome.PartialTransfer && !RsyncErrors.OnlySourceErrors(result.StandardError))
        {
            // The node refused writes: a condition that heals on the node, so retried until then and never given up.
            outcome = RsyncOutcome.Failure;
        }

        return new TransportResult(result, outcome)
        {
            DeleteLimit = deleteLimit,
            Unsendable = unsendable,
            SourcePrefix = sourceRoot,
        };
    }

    /// <summary>Whether the batch's moves are renamed on the node before its rsync: local and ssh nodes, moves = "rename".</summary>
    public static bool RenamesFirst(SyncBatch batch, NodeConfig node) =>
        !batch.FullSync && batch.Moves.Count > 0 && node.Moves == MoveStrategy.Rename && node.Kind != NodeKind.RsyncDaemon;

    /// <summary>The rsync command for <paramref name="batch"/>, and the deletion limit a full sync gets.</summary>
    public static (RsyncCommand Command, int? DeleteLimit) CommandFor(
        SyncBatch batch, SyncConfig sync, NodeConfig node, string? pinned, bool firstFullSyncDone, bool compareChecksums)
    {
        int? deleteLimit = batch.FullSync ? FullSyncDeleteLimit(pinned ?? sync.WatchPath, sync, firstFullSyncDone) : null;
        bool fileListSafe = !batch.FullSync && FileListSafety.Allows(batch, sync.WatchPath);
        return (RsyncCommand.Create(batch, sync, node, deleteLimit, fileListSafe, pinned, compareChecksums), deleteLimit);
    }

    /// <summary>
    /// How many entries a full sync may delete: none from an empty wpath (an unmounted file system shows an empty
    /// mount point, and a restart would otherwise full-sync it with --delete and wipe every node), at most max_delete
    /// in the first full sync after start, and no limit later (a full sync after a queue overflow must be able to
    /// carry out a large rm -r).
    /// </summary>
    public static int? FullSyncDeleteLimit(string source, SyncConfig sync, bool firstFullSyncDone)
    {
        try
        {
            using IEnumerator<string> entries = Directory.EnumerateFileSystemEntries(source).GetEnumerator();
            if (!entries.MoveNext())
            {
                return 0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // rsync will fail to read it too; deleting nothing is the safe side.
            return 0;
        }

        return firstFullSyncDone ? null : sync.MaxDelete;
    }
}
