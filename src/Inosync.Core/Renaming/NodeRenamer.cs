using System.Diagnostics;
using System.Text;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Serilog;
using Serilog.Events;

namespace Inosync.Renaming;

/// <summary>
/// Renames moved files and directories on a node before the narrow rsync runs, so that a renamed directory is not
/// sent again byte for byte. Purely an optimisation: every move it does not apply (unreachable node, unexpected
/// paths, a name already taken) is logged and left to the rsync that follows, which deletes the old name and
/// transfers the new one anyway, because the batch also holds those jobs.
/// </summary>
/// <remarks>
/// Implementation notes:
/// - Only <see cref="MoveStrategy.Rename"/> nodes of kind <see cref="NodeKind.Local"/> or <see cref="NodeKind.Ssh"/>;
///   an rsync daemon offers no way to rename, so daemon nodes always transfer.
/// - Never overwrites, never merges: the new name must not exist at all, the old one must exist with the expected
///   type, and every parent below the node directory must be a real directory — a symlinked parent could carry the
///   rename out of the mirrored tree. Moves apply in order, so chains (a → b, b → c) work.
/// - Local nodes: renameat2(RENAME_NOREPLACE), which checks and renames in one step.
/// - Ssh nodes: one connection per batch, through the same remote shell rsync uses (the node's -e/--rsh, else
///   RSYNC_RSH, else ssh), running "sh -s" with a generated script on stdin (<see cref="RenameScript"/>). No local
///   shell is involved, and no path ever reaches the remote login shell's command line.
/// </remarks>
public sealed class NodeRenamer
{
    private static readonly TimeSpan s_defaultRemoteTimeout = TimeSpan.FromMinutes(1);

    // One answer line of a few bytes per move: room for any batch, unlike rsync's 16 KiB of statistics.
    private static readonly ProcessRunner s_runner = new(terminateGrace: TimeSpan.Zero, standardOutputLimit: 8 * 1024 * 1024);

    private readonly ILogger _logger;
    private readonly TimeSpan _remoteTimeout;

    public NodeRenamer(ILogger logger)
        : this(logger, s_defaultRemoteTimeout)
    {
    }

    /// <param name="logger">Where fallbacks are reported.</param>
    /// <param name="remoteTimeout">How long one ssh rename round may take before it is abandoned (then rsync transfers).</param>
    public NodeRenamer(ILogger logger, TimeSpan remoteTimeout)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(remoteTimeout, TimeSpan.Zero);
        _logger = logger.ForContext<NodeRenamer>();
        _remoteTimeout = remoteTimeout;
    }

    /// <summary>
    /// Applies <paramref name="moves"/> (paths relative to the watched root) on <paramref name="node"/>, in order.
    /// Never throws for a move that cannot be applied; returns how many were renamed.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; an ssh call in progress has been killed.</exception>
    public async Task<int> RenameAsync(NodeConfig node, IReadOnlyList<MovedPath> moves, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(moves);
        cancellationToken.ThrowIfCancellationRequested();
        if (moves.Count == 0 || node.Moves != MoveStrategy.Rename)
        {
            return 0;
        }

        var stopwatch = Stopwatch.StartNew();
        RenameOutcome[] outcomes;
        switch (node.Kind)
        {
            case NodeKind.Local:
                outcomes = RenameLocal(node, moves);
                break;
            case NodeKind.Ssh:
                outcomes = await RenameOverSshAsync(node, moves, cancellationToken);
                break;
            default:
                _logger.Debug("Node {Node} is an rsync daemon, which cannot rename: {Count} moved paths are transferred", node, moves.Count);
                return 0;
        }

        int renamed = 0;
        int unanswered = 0;
        for (int i = 0; i < moves.Count; i++)
        {
            switch (outcomes[i])
            {
                case RenameOutcome.Renamed:
                    renamed++;
                    break;
                case RenameOutcome.Unknown or RenameOutcome.RootMissing:
                    unanswered++; // one line for all of them below, not one per path
                    break;
                default:
                    // A missing old name is routine (never synced, or an earlier batch moved it); the rest is worth seeing.
                    var level = outcomes[i] == RenameOutcome.SourceMissing ? LogEventLevel.Debug : LogEventLevel.Information;
                    _logger.Write(level, "Not renaming {From} to {To} on {Node} ({Reason}); rsync transfers it instead", moves[i].From, moves[i].To, node, Describe(outcomes[i]));
                    break;
            }
        }

        if (unanswered > 0)
        {
            // An unreachable node has been reported already, with the reason; a missing node directory has not.
            var reason = outcomes.Contains(RenameOutcome.RootMissing) ? RenameOutcome.RootMissing : RenameOutcome.Unknown;
            var level = reason == RenameOutcome.RootMissing ? LogEventLevel.Information : LogEventLevel.Debug;
            _logger.Write(level, "Not renaming {Count} moved paths on {Node} ({Reason}); rsync transfers them instead", unanswered, node, Describe(reason));
        }

        _logger.Debug("Renamed {Renamed} of {Count} moved paths on {Node} in {Elapsed:0} ms", renamed, moves.Count, node, stopwatch.Elapsed.TotalMilliseconds);
        return renamed;
    }

    private static string Describe(RenameOutcome outcome) => outcome switch
    {
        RenameOutcome.InvalidPaths => "the paths are not a plain rename",
        RenameOutcome.SourceMissing => "the old name is not on the node",
        RenameOutcome.TypeMismatch => "the node has a different type of entry under the old name",
        RenameOutcome.DestinationExists => "the new name already exists on the node",
        RenameOutcome.ParentNotDirectory => "a parent directory is missing or is a symlink on the node",
        RenameOutcome.RootMissing => "the node directory does not exist",
        RenameOutcome.Failed => "the rename failed",
        RenameOutcome.Unknown => "no answer from the node",
        _ => outcome.ToString(),
    };

    private RenameOutcome[] RenameLocal(NodeConfig node, IReadOnlyList<MovedPath> moves)
    {
        var outcomes = new RenameOutcome[moves.Count];
        if (!Path.IsPathFullyQualified(node.Target) || !Directory.Exists(node.Target))
        {
            Array.Fill(outcomes, RenameOutcome.RootMissing);
            return outcomes;
        }

        for (int i = 0; i < moves.Count; i++)
        {
            outcomes[i] = LocalRenames.Apply(node.Target, moves[i], out string? detail);
            if (detail is not null)
            {
                _logger.Debug("Renaming {From} to {To} on {Node} failed: {Error}", moves[i].From, moves[i].To, node, detail);
            }
        }

        return outcomes;
    }

    private async Task<RenameOutcome[]> RenameOverSshAsync(NodeConfig node, IReadOnlyList<MovedPath> moves, CancellationToken cancellationToken)
    {
        var outcomes = Enumerable.Repeat(RenameOutcome.Unknown, moves.Count).ToArray();
        var destination = SshDestination.Parse(node, out string? problem);
        string rsh = RemoteShell.Command(node.ExtraArgs, Environment.GetEnvironmentVariable("RSYNC_RSH"));
        var shell = RemoteShell.Split(rsh);
        if (destination is null || shell is not [_, ..])
        {
            _logger.Information(
                "Cannot rename on {Node} ({Problem}); {Count} moved paths are transferred",
                node, problem ?? $"cannot split the remote shell command {rsh}", moves.Count);
            return outcomes;
        }

        // Only renamable moves go into the script; the numbering maps answers back to the batch.
        var valid = new List<int>();
        for (int i = 0; i < moves.Count; i++)
        {
            if (MovedPaths.IsRenamable(moves[i]))
            {
                valid.Add(i);
            }
            else
            {
                outcomes[i] = RenameOutcome.InvalidPaths;
            }
        }

        if (valid.Count == 0)
        {
            return outcomes;
        }

        // What rsync runs: the shell words, "-l user" when the target names one, the host, then the command.
        var arguments = new List<string>(shell.Skip(1));
        if (destination.User is not null)
        {
            arguments.Add("-l");
            arguments.Add(destination.User);
        }

        arguments.Add(destination.Host);
        arguments.Add("sh -s");
        string script = RenameScript.Build(destination, valid.Select(i => moves[i]).ToList());
        var (exitCode, output, errors) = await RunAsync(shell[0], arguments, script, cancellationToken);
        if (exitCode != 0)
        {
            _logger.Information(
                "Renaming on {Node} failed: {Program} exited with {ExitCode}: {Errors}; moved paths without an answer are transferred",
                node, shell[0], exitCode, errors.Trim());
        }
        else if (errors.Length > 0)
        {
            _logger.Debug("Renaming on {Node}: {Errors}", node, errors.Trim());
        }

        var answers = RenameScript.Parse(output, valid.Count);
        for (int k = 0; k < valid.Count; k++)
        {
            outcomes[valid[k]] = answers[k];
        }

        return outcomes;
    }

    /// <summary>
    /// Runs the remote shell with the script on stdin. Exit code -1 means it could not be started or timed out.
    /// Killing it outright is fine: ssh keeps no state to clean up, and the remote script only ever renames.
    /// </summary>
    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string program, IReadOnlyList<string> arguments, string script, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_remoteTimeout);
        try
        {
            ProcessResult result = await s_runner.RunAsync(program, arguments, Encoding.UTF8.GetBytes(script), timeout.Token);
            return result.Started
                ? (result.ExitCode, result.StandardOutput, result.StandardError)
                : (-1, "", result.StartError ?? $"cannot run {program}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (-1, "", $"no answer within {_remoteTimeout.TotalSeconds:0} s");
        }
    }
}
