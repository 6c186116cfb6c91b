using System.CommandLine;
using System.Globalization;
using Inosync.Cli.Hosting;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Filtering;
using Inosync.Rsync;
using Inosync.Transfer;
using Inosync.Watching;

namespace Inosync.Cli.Commands;

/// <summary>
/// <c>inosync check -c FILE</c>: validate the configuration and the environment without syncing — rsync and its
/// version, each wpath readable, the watch budget, and per node the rsync commands that would run.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        Option<FileInfo> config = CommonOptions.Config(required: true);
        Option<bool> verbose = CommonOptions.Verbose();
        var command = new Command("check", "Validate the configuration and the environment (rsync, watch limits) without syncing.")
        {
            config,
            verbose,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.GuardAsync(
            parseResult.GetValue(verbose),
            () => CheckAsync(parseResult.GetRequiredValue(config).FullName, cancellationToken)));
        return command;
    }

    // The effective rules, in the order rsync tries them, then what is wrong with any of them.
    private static async Task WriteFilterAsync(TextWriter output, SyncConfig sync)
    {
        if (sync.Filter.IsEmpty)
        {
            await output.WriteLineAsync("  filter: none (everything is watched and synced)");
        }
        else
        {
            await output.WriteLineAsync($"  filter: {Plural(sync.Filter.Rules.Count, "rule", "rules")}, the first that matches decides (no match: included)");
            foreach (FilterRule rule in sync.Filter.Rules)
            {
                await output.WriteLineAsync($"    {FileNameEncoding.ForDisplay(rule.ToRsyncRule())}    ({rule.Origin})");
            }
        }

        foreach (string warning in sync.FilterWarnings)
        {
            await output.WriteLineAsync($"  warning: {FileNameEncoding.ForDisplay(warning)}");
        }
    }

    private static async Task<int> CheckAsync(string configPath, CancellationToken cancellationToken)
    {
        InosyncConfig config = ConfigLoader.Load(configPath);
        TextWriter output = Console.Out;
        await output.WriteLineAsync($"config: {config.ConfigPath}: ok, {Plural(config.Syncs.Count, "sync")}");
        int nodes = config.Syncs.Sum(s => s.Nodes.Count);
        await output.WriteLineAsync($"max_processes: {config.MaxProcesses} rsyncs at once over {Plural(nodes, "node")}");
        foreach (var rsync in config.Syncs.Select(s => s.RsyncPath).Distinct(StringComparer.Ordinal))
        {
            RsyncInfo info = await RsyncProbe.ProbeAsync(rsync, cancellationToken);
            await output.WriteLineAsync($"rsync: {info.Path}: {info.VersionLine}");
        }

        if (config.Syncs.Any(s => s.Nodes.Any(n => n.Kind == NodeKind.FileTransfer)))
        {
            var (lftp, version) = await LftpProbe.ProbeAsync(cancellationToken);
            await output.WriteLineAsync($"lftp: {lftp}: {version}");
        }

        long? limit = OperatingSystem.IsLinux() ? InotifyLimits.Read(InotifyLimits.MaxUserWatches) : null;
        int totalDirectories = 0;
        foreach (SyncConfig sync in config.Syncs)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"sync {sync.Name} ({sync.Location})");
            if (!CanRead(sync.WatchPath, out string? problem))
            {
                throw new ConfigException($"{sync.Location}: wpath '{sync.WatchPath}' is not readable: {problem}", ExitCode.NoInput);
            }

            int directories = WatchedTree.CountDirectories(sync.WatchPath, sync.Filter);
            totalDirectories += directories;
            await output.WriteLineAsync($"  wpath: {sync.WatchPath}: readable, {Plural(directories, "directory", "directories")} to watch");
            await WriteFilterAsync(output, sync);
            await output.WriteLineAsync(sync.MaxDelete is { } maxDelete
                ? $"  deletions: the first full sync deletes at most {maxDelete} entries per node (max_delete; \"off\" lifts it); an empty wpath deletes nothing"
                : "  deletions: max_delete is off, so the first full sync deletes whatever the source lacks; an empty wpath still deletes nothing");
            foreach (NodeConfig node in sync.Nodes)
            {
                await output.WriteLineAsync($"  node: {node.Target} ({Describe(node)})");
                if (node.Kind == NodeKind.FileTransfer)
                {
                    await WriteLftpShapeAsync(output, sync, node);
                    continue;
                }

                var full = RsyncCommand.Create(new SyncBatch(true, [], [], 1), sync, node, sync.MaxDelete);
                var narrow = RsyncCommand.Create(
                    new SyncBatch(false, [new DirectoryJob("DIR", false, new Dictionary<string, NameChange> { ["NAME"] = NameChange.Modified })], [], 1),
                    sync,
                    node);
                await output.WriteLineAsync($"    full sync:   {full.ToShellString()}");
                await output.WriteLineAsync($"    each batch:  {narrow.ToShellString()}");
            }
        }

        await output.WriteLineAsync();
        string budget = $"watches: {Plural(totalDirectories, "directory", "directories")} in all; fs.inotify.max_user_watches is " +
                        (limit?.ToString(CultureInfo.InvariantCulture) ?? "unknown") + " (shared by every process of this user)";
        if (limit is long max && totalDirectories > max)
        {
            long suggested = (Math.Max(totalDirectories * 2L, max + totalDirectories) + 1023) / 1024 * 1024;
            await output.WriteLineAsync($"{budget}: TOO LOW");
            await Console.Error.WriteLineAsync(
                $"inosync: fs.inotify.max_user_watches ({max}) is lower than the {totalDirectories} directories to watch; raise it: " +
                $"sudo sysctl fs.inotify.max_user_watches={suggested} (persist in /etc/sysctl.d/90-inosync.conf)");
            return (int)ExitCode.OsError;
        }

        await output.WriteLineAsync($"{budget}: ok");

        // One inotify instance per sync (the portable watcher needs none, but counting it too errs on the safe side).
        long? instances = OperatingSystem.IsLinux() ? InotifyLimits.Read(InotifyLimits.MaxUserInstances) : null;
        string instanceBudget = $"inotify instances: {config.Syncs.Count} needed (one per sync); fs.inotify.max_user_instances is " +
                                (instances?.ToString(CultureInfo.InvariantCulture) ?? "unknown") + " (shared by every process of this user)";
        if (instances is long maxInstances && config.Syncs.Count > maxInstances)
        {
            await output.WriteLineAsync($"{instanceBudget}: TOO LOW");
            await Console.Error.WriteLineAsync(
                $"inosync: fs.inotify.max_user_instances ({maxInstances}) is lower than the {config.Syncs.Count} syncs, which need one inotify instance each; " +
                $"raise it: sudo sysctl fs.inotify.max_user_instances={Math.Max(256, config.Syncs.Count * 2)} (persist in /etc/sysctl.d/90-inosync.conf)");
            return (int)ExitCode.OsError;
        }

        await output.WriteLineAsync($"{instanceBudget}: ok");
        return (int)ExitCode.Ok;
    }

    // The script of a full sync (password shown as ***; the server's listing, which the rules need, is not made here)
    // and the shape of a batch.
    private static async Task WriteLftpShapeAsync(TextWriter output, SyncConfig sync, NodeConfig node)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string root = Path.TrimEndingDirectorySeparator(sync.WatchPath) + "/";
        var plan = LftpBatch.Create(new SyncBatch(true, [], [], 1), node, sync, root, node.PasswordFile is null ? null : "***", null, sync.MaxDelete, new HashSet<string>());
        await output.WriteLineAsync("    full sync:   lftp, with this script on its stdin:");
        foreach (string line in plan.Script.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await output.WriteLineAsync("                   " + FileNameEncoding.ForDisplay(line));
        }

        await output.WriteLineAsync("    each batch:  one lftp: mv for each move, then per changed directory mirror -R -r --transfer-all -i \"^(NAME|…)$\" DIR, mkdir for new directories, rm -r -f for deleted names; a new directory is a mirror -R --delete of it");
    }

    private static string Describe(NodeConfig node) => node.Kind switch
    {
        NodeKind.Local => "local directory",
        NodeKind.Ssh => "rsync over ssh",
        NodeKind.FileTransfer => node.Endpoint!.Protocol switch
        {
            FileTransferProtocol.Sftp => "SFTP with lftp" + (node.RemoteShell is null ? "" : $", ssh command {node.RemoteShell}"),
            FileTransferProtocol.Ftps => "FTPS (implicit TLS) with lftp" + CaFile(node) + (node.PasswordFile is null ? "" : $", password file {node.PasswordFile}"),
            _ => $"FTP with lftp, tls {node.Tls.ToString().ToLowerInvariant()}" + (node.Tls == FtpTls.Off ? "" : CaFile(node))
                + (node.PasswordFile is null ? "" : $", password file {node.PasswordFile}"),
        },
        _ => node.PasswordFile is null ? "rsync daemon" : $"rsync daemon, password file {node.PasswordFile}",
    } + (node.Moves == MoveStrategy.Rename ? ", renames applied on the node" : ", renames re-sent");

    private static string CaFile(NodeConfig node) => node.TlsCaFile is null ? ", certificate checked against the system's CAs" : $", certificate checked against {node.TlsCaFile}";

    private static bool CanRead(string directory, out string? problem)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return false;
        }
    }

    private static string Plural(int count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many ?? one + "s")}");
}
