using System.CommandLine;
using Inosync.Cli.Hosting;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Rsync;
using Inosync.Transfer;

namespace Inosync.Cli.Commands;

/// <summary>
/// <c>inosync verify -c FILE [--checksum] [--sync NAME]</c>: compares every node with the source now, changing
/// nothing (rsync <c>--dry-run</c> with the full sync's arguments and filter rules, deletions included). Exit 0 when
/// every node equals the source, 1 when one differs, 69 when one cannot be reached: usable from cron and monitoring.
/// </summary>
internal static class VerifyCommand
{
    // Enough to see what kind of drift it is; the count says how much.
    private const int PathsShown = 10;

    // rsync's list of differences is kept up to this size (about 50,000 paths); beyond it, its end.
    private const int OutputLimit = 4 * 1024 * 1024;

    public static Command Create()
    {
        Option<FileInfo> config = CommonOptions.Config(required: true);
        var checksum = new Option<bool>("--checksum")
        {
            Description = "Compare file contents (reads every file on both sides) instead of size and modification time.",
        };
        var sync = new Option<string?>("--sync")
        {
            Description = "Verify only the sync with this name (default: every sync).",
            HelpName = "NAME",
        };
        var command = new Command("verify", "Compare every node with the source now, changing nothing; exit 0 equal, 1 a node differs, 69 a node cannot be reached.")
        {
            config,
            checksum,
            sync,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.GuardAsync(
            verbose: false,
            () => VerifyAsync(parseResult.GetRequiredValue(config).FullName, parseResult.GetValue(checksum), parseResult.GetValue(sync), cancellationToken)));
        return command;
    }

    /// <summary>The differences in rsync's itemized output, one "%i %n" line each; a directory whose only difference is
    /// its modification time is not one (it holds the same entries).</summary>
    internal static List<string> Differences(string itemized) =>
        [.. itemized.Split('\n').Where(line => line.Length > 12 && !line.StartsWith(".d..t...... ", StringComparison.Ordinal))];

    private static async Task<int> VerifyAsync(string configPath, bool checksum, string? syncName, CancellationToken cancellationToken)
    {
        InosyncConfig config = ConfigLoader.Load(configPath);
        List<SyncConfig> syncs = [.. config.Syncs.Where(s => syncName is null || s.Name == syncName)];
        if (syncs.Count == 0)
        {
            throw new ConfigException(
                $"{configPath}: no sync is named '{syncName}' (the syncs: {string.Join(", ", config.Syncs.Select(s => "'" + s.Name + "'"))})", ExitCode.Usage);
        }

        foreach (string rsync in syncs.Select(s => s.RsyncPath).Distinct(StringComparer.Ordinal))
        {
            await RsyncProbe.ProbeAsync(rsync, cancellationToken);
        }

        int nodes = 0, differing = 0, unreachable = 0;
        var runner = new ProcessRunner(TimeSpan.Zero, OutputLimit);
        TextWriter output = Console.Out;
        foreach (SyncConfig sync in syncs)
        {
            await output.WriteLineAsync($"sync {sync.Name} ({sync.WatchPath})");
            foreach (NodeConfig node in sync.Nodes)
            {
                nodes++;
                string target = FileNameEncoding.ForDisplay(node.Target);
                (ProcessResult result, List<string>? lftpDifferences) = await CompareAsync(sync, node, checksum, runner, cancellationToken);
                if (!result.Started || result.ExitCode is not (0 or 24))
                {
                    unreachable++;
                    string client = lftpDifferences is null ? "rsync" : "lftp";
                    string why = !result.Started
                        ? $"cannot run {client}: {result.StartError}"
                        : lftpDifferences is null
                            ? $"rsync exit {result.ExitCode} ({RsyncExitCodes.Describe(result.ExitCode)}): {FileNameEncoding.ForDisplay(result.StandardError.Split('\n', 2)[0].Trim())}"
                            : $"lftp exit {result.ExitCode}: {FileNameEncoding.ForDisplay(result.StandardError.Split('\n', 2)[0].Trim())}";
                    await output.WriteLineAsync($"  {target}: cannot be compared: {why}");
                    continue;
                }

                List<string> differences = lftpDifferences ?? Differences(result.StandardOutput);
                if (differences.Count == 0)
                {
                    await output.WriteLineAsync($"  {target}: equal");
                    continue;
                }

                differing++;
                bool truncated = result.StandardOutput.StartsWith("[…]", StringComparison.Ordinal);
                await output.WriteLineAsync(truncated
                    ? $"  {target}: more than {differences.Count} differences (too many to keep; the last ones:)"
                    : $"  {target}: {differences.Count} {(differences.Count == 1 ? "difference" : "differences")}");
                foreach (string line in differences.Take(PathsShown))
                {
                    await output.WriteLineAsync("    " + FileNameEncoding.ForDisplay(line));
                }

                if (differences.Count > PathsShown)
                {
                    await output.WriteLineAsync($"    … and {differences.Count - PathsShown} more");
                }
            }
        }

        await output.WriteLineAsync(
            $"verify: {nodes - differing - unreachable} of {nodes} {(nodes == 1 ? "node equals" : "nodes equal")} the source" +
            (differing > 0 ? $", {differing} {(differing == 1 ? "differs" : "differ")}" : "") +
            (unreachable > 0 ? $", {unreachable} cannot be compared" : "") +
            (checksum ? " (contents compared)" : " (size and modification time compared; --checksum reads the contents)"));
        return (int)(unreachable > 0 ? ExitCode.Unavailable : differing > 0 ? ExitCode.Failing : ExitCode.Ok);
    }

    /// <summary>rsync's dry run (differences parsed later), or for an lftp node its mirror's (differences given).
    /// --checksum has no lftp equivalent: lftp nodes are compared by size and modification time.</summary>
    private static async Task<(ProcessResult Result, List<string>? LftpDifferences)> CompareAsync(
        SyncConfig sync, NodeConfig node, bool checksum, ProcessRunner runner, CancellationToken cancellationToken)
    {
        if (node.Kind == NodeKind.FileTransfer && OperatingSystem.IsLinux())
        {
            try
            {
                return await LftpVerify.RunAsync(sync, node, runner, cancellationToken);
            }
            catch (IOException e)
            {
                return (ProcessResult.NotStarted($"cannot read password file '{node.PasswordFile}': {e.Message}"), []);
            }
        }

        var command = RsyncCommand.CreateVerify(sync, node, checksum);
        return (await runner.RunAsync(command.FileName, command.Arguments, ReadOnlyMemory<byte>.Empty, cancellationToken), null);
    }
}
