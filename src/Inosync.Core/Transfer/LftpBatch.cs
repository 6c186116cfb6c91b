using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Files;

namespace Inosync.Transfer;

/// <summary>
/// The two scripts one batch may take on an lftp node: the listing (<c>find</c> of the directories mirrored whole, run
/// first whenever the batch mirrors one), and the batch itself.
/// </summary>
/// <remarks>
/// A directory mirrored whole is compared by size and mtime (on SFTP, mirror compares mtimes and the sizes are compared
/// here, see <see cref="LftpCommands"/>), and servers keep mtimes to the second: a rewrite of the same size within the
/// second of the copy the server has would be missed. Such a rewrite happened after the start of
/// the last successful run (the run that sent the earlier content, or a later one that did not see the change), so
/// files modified since then (less two ticks of the kernel clock) are sent again, by exact path, whatever size and
/// mtime say.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class LftpBatch
{
    /// <summary>The directories a batch mirrors whole: the root for a full sync, else its recursive jobs.</summary>
    public static List<string> Trees(SyncBatch batch) =>
        batch.FullSync ? [""] : [.. batch.Jobs.Where(j => j.Recursive).Select(j => j.Directory)];

    /// <summary>Whether the server must be listed before the batch: a tree is mirrored (for the type conflicts, the
    /// rules and the deletion limit).</summary>
    public static bool NeedsListing(SyncBatch batch) => Trees(batch).Count > 0;

    /// <summary>
    /// The script that lists the trees of <paramref name="batch"/> on the server (creating rpath if missing), after
    /// the batch's renames: the listing must show what the mirrors will find.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="node">The node.</param>
    /// <param name="sync">The sync.</param>
    /// <param name="password">The FTP password, or null.</param>
    /// <param name="refusedNames">Names the server refused before: no rename makes one.</param>
    public static LftpScript Listing(SyncBatch batch, NodeConfig node, SyncConfig sync, string? password, IReadOnlySet<string>? refusedNames = null)
    {
        LftpScript script = Begin(node, sync, password);
        bool sftp = node.Endpoint!.Protocol == FileTransferProtocol.Sftp;
        if (!batch.FullSync && node.Moves == MoveStrategy.Rename)
        {
            new LftpCommands("", sync.Filter, ftp: !sftp, refusedNames ?? new HashSet<string>()).AddMoves(script, batch.Moves);
        }

        foreach (string tree in Trees(batch))
        {
            // A tree not on the server yet lists nothing. SFTP's mirrors compare no sizes (LftpCommands): inosync does,
            // from a second, long listing (lftp's cache answers it without asking the server again).
            script.Add($"find {LftpCommands.Remote(tree)} || echo -n");
            if (sftp)
            {
                script.Add($"find -l {LftpCommands.Remote(tree)} || echo -n");
            }
        }

        return script;
    }

    /// <summary>The batch's script.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="node">The node.</param>
    /// <param name="sync">The sync.</param>
    /// <param name="sourceRoot">The source root, '/'-terminated (the pinned directory or wpath).</param>
    /// <param name="password">The FTP password, or null.</param>
    /// <param name="listing">What <see cref="Listing"/> printed (the renames done), or null when it was not run.</param>
    /// <param name="deleteLimit">How many entries a full sync may delete (null: no limit).</param>
    /// <param name="refusedNames">Names the server refused before: left out everywhere.</param>
    /// <param name="dryRun">Mirror with --dry-run: lftp prints what it would do and does nothing (verify).</param>
    /// <param name="lastSuccessStart">When the node's last successful run started (see the remarks); null: none yet.</param>
    public static Plan Create(
        SyncBatch batch,
        NodeConfig node,
        SyncConfig sync,
        string sourceRoot,
        string? password,
        string? listing,
        int? deleteLimit,
        IReadOnlySet<string> refusedNames,
        bool dryRun = false,
        DateTimeOffset? lastSuccessStart = null)
    {
        DateTimeOffset? forceSince = lastSuccessStart - TimeSpan.FromMilliseconds(20);
        LftpScript script = Begin(node, sync, password);
        var commands = new LftpCommands(sourceRoot, sync.Filter, ftp: node.Endpoint!.Protocol != FileTransferProtocol.Sftp, refusedNames)
        {
            DryRun = dryRun,
        };
        bool deletionsHeld = false;
        // Read once for all the batch's trees (paths relative to rpath).
        Dictionary<string, long> serverSizes = listing is null ? [] : RemoteListing.Sizes(listing, "./");
        if (batch.FullSync)
        {
            List<string> remote = listing is null ? [] : RemoteListing.Below(listing, "./");
            bool delete = deleteLimit is not { } limit || Deletions(sourceRoot, remote, sync) <= limit;
            deletionsHeld = !delete;
            var recent = new List<string>();
            List<string> excluded = ExcludedPaths.Find(sourceRoot, "", sync.Filter, remote, forceSince, recent);
            AddResized(sourceRoot, "", serverSizes, sync, recent);
            commands.AddTree(script, "", excluded, delete, recent, TypeConflicts.Find(sourceRoot, "", remote));
            return new Plan(script, commands.Unsendable, deletionsHeld);
        }

        if (node.Moves == MoveStrategy.Rename && listing is null)
        {
            // With a listing, the renames came first in its script.
            commands.AddMoves(script, batch.Moves);
        }

        foreach (DirectoryJob job in batch.Jobs)
        {
            if (job.Recursive)
            {
                List<string> remote = listing is null ? [] : RemoteListing.Below(listing, "./" + job.Directory);
                var recent = new List<string>();
                List<string> excluded = ExcludedPaths.Find(sourceRoot, job.Directory, sync.Filter, remote, forceSince, recent);
                AddResized(sourceRoot, job.Directory, serverSizes, sync, recent);
                commands.AddTree(script, job.Directory, excluded, delete: true, recent, TypeConflicts.Find(sourceRoot, job.Directory, remote));
            }
            else
            {
                commands.AddNames(script, job);
            }
        }

        return new Plan(script, commands.Unsendable, deletionsHeld);
    }

    /// <summary>Login, rpath created when missing, <c>cd</c> to it; from there on any failing command fails the script.</summary>
    private static LftpScript Begin(NodeConfig node, SyncConfig sync, string? password)
    {
        LftpScript script = LftpScript.Open(node, sync.RsyncTimeout, password);
        string remotePath = LftpSyntax.Quote(node.Endpoint!.RemotePath);
        script.Add($"mkdir -p -f {remotePath} || echo -n");
        script.Add("set cmd:fail-exit yes");
        script.Add($"cd {remotePath}");
        return script;
    }

    /// <summary>
    /// Adds to <paramref name="recent"/> the files below <paramref name="directory"/> whose size on the server (from
    /// <c>find -l</c>, listed on SFTP only) is not the source's: an SFTP mirror compares mtimes alone.
    /// </summary>
    private static void AddResized(string sourceRoot, string directory, Dictionary<string, long> serverSizes, SyncConfig sync, List<string> recent)
    {
        string prefix = directory.Length == 0 ? "" : directory + "/";
        var listed = new HashSet<string>(recent, StringComparer.Ordinal);
        foreach (var (relative, size) in serverSizes)
        {
            if (relative.StartsWith(prefix, StringComparison.Ordinal)
                && UnixFileStatus.OfLink(sourceRoot + relative) is { IsRegularFile: true } local && local.Size != size
                && !sync.Filter.IsExcluded(relative, isDirectory: false) && listed.Add(relative[prefix.Length..]))
            {
                recent.Add(relative[prefix.Length..]);
            }
        }
    }

    /// <summary>How many entries on the server (topmost) a full sync would delete: those the source lacks and the rules do not protect.</summary>
    private static int Deletions(string sourceRoot, List<string> remote, SyncConfig sync) =>
        RemoteListing.Topmost(remote, (path, isDirectory) => !sync.Filter.IsExcluded(path, isDirectory) && UnixFileStatus.OfLink(sourceRoot + path) is null).Count;

    /// <summary>A batch's script, the paths it could not carry, and whether a full sync held back its deletions (max_delete).</summary>
    public sealed record Plan(LftpScript Script, IReadOnlyList<string> Unsendable, bool DeletionsHeld);
}
