using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Rsync;
using Inosync.Transfer;
using System.Runtime.Versioning;
using Serilog;

namespace Inosync.Nodes;

/// <summary>--pretend: logs the renames and the exact rsync command (with its file or include list) a batch would run,
/// runs nothing, and reports success.</summary>
internal sealed class PretendTransport(SyncConfig sync, NodeConfig node, ILogger log) : INodeTransport
{
    // Never told of a run (none happens): only recursive jobs ask for checksums, as in a real first batch.
    private readonly QuickCheckGuard _quickCheck = new();

    public Task PrepareAsync(CancellationToken stopping) => Task.CompletedTask;

    public Task<TransportResult> SendAsync(SyncBatch batch, TransportContext context, CancellationToken deadline)
    {
        if (node.Kind == NodeKind.FileTransfer && OperatingSystem.IsLinux())
        {
            return Task.FromResult(PretendLftp(batch, context));
        }

        var (command, deleteLimit) = RsyncTransport.CommandFor(
            batch, sync, node, pinned: null, context.FirstFullSyncDone, _quickCheck.NeedsChecksum(batch, sync.WatchPath));
        if (batch.FullSync)
        {
            log.Information("Full sync of {Node} started", node.Target);
        }

        if (RsyncTransport.RenamesFirst(batch, node))
        {
            log.Information("Pretend: would first rename {Count} moved paths on {Node}: {Moves}",
                batch.Moves.Count, node.Target, batch.Moves.Select(m => $"{m.From} -> {m.To}"));
        }

        log.Information("Pretend: would sync {Paths} paths to {Node}: {Command:l}", batch.ChangeCount, node.Target, command.ToShellString());
        if (!command.FullSync)
        {
            log.Information("Pretend: {List:l} for {Node}: {Entries}", command.Shape == RsyncShape.FileList ? "file list" : "include list", node.Target, command.DescribeStandardInput());
        }

        return Task.FromResult(new TransportResult(new ProcessResult(0, "", "", TimeSpan.Zero), RsyncOutcome.Success) { DeleteLimit = deleteLimit });
    }

    // The server is not listed (nothing is run): the script shows what the source side decides, the password as "***".
    [SupportedOSPlatform("linux")]
    private TransportResult PretendLftp(SyncBatch batch, TransportContext context)
    {
        string root = Path.TrimEndingDirectorySeparator(sync.WatchPath) + "/";
        int? deleteLimit = batch.FullSync ? RsyncTransport.FullSyncDeleteLimit(root, sync, context.FirstFullSyncDone) : null;
        if (batch.FullSync)
        {
            log.Information("Full sync of {Node} started", node.Target);
        }

        string? password = node.PasswordFile is null ? null : "***";
        LftpBatch.Plan plan = LftpBatch.Create(batch, node, sync, root, password, listing: null, deleteLimit, new HashSet<string>());
        log.Information("Pretend: would sync {Paths} paths to {Node} with lftp: {Script:l}", batch.ChangeCount, node.Target, plan.Script.ToString());
        return new TransportResult(new ProcessResult(0, "", "", TimeSpan.Zero), RsyncOutcome.Success) { DeleteLimit = deleteLimit };
    }
}
