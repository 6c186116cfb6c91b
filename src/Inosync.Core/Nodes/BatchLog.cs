using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Rsync;
using Serilog;
using Serilog.Events;

namespace Inosync.Nodes;

/// <summary>What the log says about each batch of one node: one place for the worker's messages, so that its loop reads
/// as what it does.</summary>
internal sealed class BatchLog(ILogger log, NodeConfig node, TimeSpan stopGrace)
{
    private const int StderrLinesLogged = 5;

    // The client the node's batches run: the messages name it.
    private readonly string _client = node.Kind == NodeKind.FileTransfer ? "lftp" : "rsync";

    public void Succeeded(SyncBatch batch, ProcessResult result, RsyncStats? stats, int failuresBefore)
    {
        if (failuresBefore > 0)
        {
            log.Information("{Node} is back after {Failures} failed attempts", node.Target, failuresBefore);
        }

        if (batch.FullSync)
        {
            log.Information("Full sync of {Node} finished in {Elapsed:0} ms (exit {ExitCode}): {Files} files, {Bytes} bytes transferred",
                node.Target, result.Duration.TotalMilliseconds, result.ExitCode, stats?.FilesTransferred, stats?.BytesTransferred);
        }
        else
        {
            log.Information("Synced {Paths} paths to {Node} in {Elapsed:0} ms (exit {ExitCode})",
                batch.ChangeCount, node.Target, result.Duration.TotalMilliseconds, result.ExitCode);
            if (stats is not null)
            {
                log.Debug("{Client:l} to {Node} transferred {Files} files, {Bytes} bytes", _client, node.Target, stats.FilesTransferred, stats.BytesTransferred);
            }
        }

        if (result.ExitCode != 0)
        {
            log.Debug("{Client:l} to {Node} exited {ExitCode} ({Meaning}): {Stderr}",
                _client, node.Target, result.ExitCode, Describe(result.ExitCode), FirstLines(result.StandardError));
        }
    }

    public void FinalFailed(SyncBatch batch, ProcessResult result) =>
        log.Error("Final sync of {Paths} paths to {Node} failed with exit code {ExitCode} ({Meaning}); they were not synced: {Stderr}",
            batch.ChangeCount, node.Target, result.ExitCode, Describe(result.ExitCode), FirstLines(result.StandardError));

    public void Dropped(SyncBatch batch, ProcessResult result, int attempts) =>
        log.Error("Dropping a batch of {Paths} paths to {Node} after {Attempts} partial transfers (exit 23); the next full sync retries them. Failing: {FailedPaths}",
            batch.ChangeCount, node.Target, attempts, RsyncErrors.FailedPaths(result.StandardError));

    public void Retrying(SyncBatch batch, ProcessResult result, RsyncOutcome outcome, RetryDecision decision)
    {
        if (outcome == RsyncOutcome.NotStarted)
        {
            log.Write(decision.Level, "Cannot run {Client:l} for {Node}: {Error}; attempt {Attempt}, retrying in {Delay:0.0} s",
                _client, node.Target, result.StartError ?? result.StandardError, decision.Attempt, decision.Delay.TotalSeconds);
            return;
        }

        log.Write(decision.Level, "{Client:l} to {Node} failed with exit code {ExitCode} ({Meaning}) after {Elapsed:0} ms; attempt {Attempt}, retrying {Paths} paths in {Delay:0.0} s: {Stderr}",
            _client, node.Target, result.ExitCode, Describe(result.ExitCode, outcome), result.Duration.TotalMilliseconds,
            decision.Attempt, batch.ChangeCount, decision.Delay.TotalSeconds, FirstLines(result.StandardError));
    }

    public void Terminated(SyncBatch batch, bool isFinal, bool hurried)
    {
        if (hurried)
        {
            log.Warning("{Client:l} to {Node} was terminated at once (second stop signal); its {Paths} paths were not synced", _client, node.Target, batch.ChangeCount);
        }
        else if (isFinal)
        {
            log.Error("{Client:l} to {Node} did not finish within {Grace:0.#} s after stop and was terminated; {Paths} paths were not synced",
                _client, node.Target, stopGrace.TotalSeconds, batch.ChangeCount);
        }
        else
        {
            log.Warning("{Client:l} to {Node} did not finish within {Grace:0.#} s after stop and was terminated; its {Paths} paths go into the final batch",
                _client, node.Target, stopGrace.TotalSeconds, batch.ChangeCount);
        }
    }

    /// <summary>Said like the failure itself: on the first refusal, then about once a minute while it lasts.</summary>
    public void DeletionsLimited(int limit, string watchPath)
    {
        if (limit == 0)
        {
            log.Error("Full sync of {Node} deleted nothing: wpath {WatchPath} is empty (is its file system mounted?) but the node is not. Retrying; if wpath really is meant to be empty, delete on the node by hand",
                node.Target, watchPath);
        }
        else
        {
            log.Error("Full sync of {Node} stopped deleting after {Limit} entries (max_delete) and left the rest. Retrying; if the deletions are meant, raise max_delete or set it to \"off\" and restart",
                node.Target, limit);
        }
    }

    public void SlowBatch(TimeSpan after) =>
        log.Warning("The batch for {Node} is still running after {After} (slow_batch); the node counts as failing until it ends", node.Target, after);

    public void Unexpected(Exception e, SyncBatch batch) =>
        log.Error(e, "Syncing {Paths} paths to {Node} failed unexpectedly; scheduling a full sync", batch.ChangeCount, node.Target);

    // lftp exits 1 on any failure (its message says which); 25 is the max_delete hold, said the same for both clients.
    private string Describe(int exitCode) =>
        _client == "rsync" || exitCode == RsyncExitCodes.MaxDeleteReached ? RsyncExitCodes.Describe(exitCode) : "lftp failed";

    // lftp has one exit code for every failure; its last words ("max-retries exceeded") do not say what happened.
    private string Describe(int exitCode, RsyncOutcome outcome) => (_client, outcome) switch
    {
        ("lftp", RsyncOutcome.Unavailable) => "the server refused the connection, or did not answer within rsync_timeout",
        ("lftp", RsyncOutcome.ConfigurationError) => "the login was refused",
        _ => Describe(exitCode),
    };

    private static string FirstLines(string text)
    {
        var lines = new List<string>(StderrLinesLogged);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (!line.IsWhiteSpace())
            {
                lines.Add(line.TrimEnd().ToString());
                if (lines.Count == StderrLinesLogged)
                {
                    break;
                }
            }
        }

        return string.Join('\n', lines);
    }
}
