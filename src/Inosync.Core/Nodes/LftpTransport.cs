using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Files;
using Inosync.Processes;
using Inosync.Rsync;
using Inosync.Transfer;
using Serilog;

namespace Inosync.Nodes;

/// <summary>
/// Sends a batch to a server without rsync (sftp://, ftp://, ftps://) with lftp, run without a shell, its script on
/// stdin (<see cref="LftpBatch"/>): one lftp process per batch, two when the server must be listed first.
/// </summary>
/// <remarks>
/// Implementation notes:
/// - The FTP password is read from password_file before every batch (a changed password needs no restart) and goes
///   to lftp only through its stdin pipe; the script logged at debug level and by --pretend shows "***".
/// - Outcomes: exit 0 is success; a refused login is a configuration error (logged as an error, still retried: the
///   password file may be fixed); a connection that failed is "unavailable"; anything else a failure. All retried
///   with the node's backoff, never given up: no protocol error here means "this source file cannot be read".
/// - SFTP: an upload that stalls where lftp 4.9.2's own xfer:timeout does not look is stopped by
///   <see cref="UploadStallWatch"/>; the batch fails with a line that says so and is retried.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class LftpTransport : INodeTransport
{
    /// <summary>The client: lftp from PATH.</summary>
    public const string Lftp = LftpSyntax.Client;

    private const int ListingOutputLimit = 64 * 1024 * 1024;
    private const int MaxRefusedPerBatch = 100;

    // The watch backs up lftp's own xfer:timeout (same limit), which catches most stalled uploads with its own message.
    private static readonly TimeSpan s_watchBackstop = TimeSpan.FromSeconds(5);

    private static readonly string[] s_loginRefused = ["Login failed", "Login incorrect", "530 ", "Authentication failed", "Permission denied (publickey"];
    private static readonly string[] s_unreachable = ["max-retries exceeded", "Connection refused", "Name or service not known", "No route to host", "Connection timed out", "peer closed connection"];

    private readonly SyncConfig _sync;
    private readonly NodeConfig _node;
    private readonly PinnedSource? _source;
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;
    private readonly ProcessRunner _listingRunner;

    // Loop-only state: names the server refused (553), left out of every later batch; when the last successful run
    // started (LftpBatch's remarks).
    private readonly HashSet<string> _refusedNames = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastSuccessStart;

    public LftpTransport(SyncConfig sync, NodeConfig node, PinnedSource? source, NodeWorkerOptions options, ILogger log)
    {
        _sync = sync;
        _node = node;
        _source = source;
        _log = log;
        _runner = new ProcessRunner(options.TerminateGrace, standardErrorTail: true);
        _listingRunner = new ProcessRunner(options.TerminateGrace, ListingOutputLimit, standardErrorTail: true);
    }

    public Task PrepareAsync(CancellationToken stopping) => Task.CompletedTask;

    public async Task<TransportResult> SendAsync(SyncBatch batch, TransportContext context, CancellationToken deadline)
    {
        string sourceRoot = Path.TrimEndingDirectorySeparator(_sync.WatchPath) + "/";
        if (_source is not null)
        {
            if (!_source.StillNamedByPath())
            {
                return TransportResult.RefusedBecause("wpath no longer names the watched directory");
            }

            sourceRoot = _source.RsyncSource;
        }

        string? password;
        try
        {
            password = ReadPassword(_node);
        }
        catch (IOException e)
        {
            return new TransportResult(ProcessResult.NotStarted($"cannot read password file '{_node.PasswordFile}': {e.Message}"), RsyncOutcome.ConfigurationError);
        }

        int? deleteLimit = batch.FullSync ? RsyncTransport.FullSyncDeleteLimit(sourceRoot, _sync, context.FirstFullSyncDone) : null;
        if (batch.FullSync)
        {
            _log.Information("Full sync of {Node} started", _node.Target);
        }

        string? listing = null;
        if (LftpBatch.NeedsListing(batch))
        {
            LftpScript list = LftpBatch.Listing(batch, _node, _sync, password, _refusedNames);
            ProcessResult listed = await RunAsync(list, password, context, _listingRunner, deadline);
            if (listed.ExitCode != 0)
            {
                return Classified(listed, deleteLimit);
            }

            listing = listed.StandardOutput;
        }

        // A name the server refuses stops the script (each command must succeed): it is left out from then on and the
        // batch runs again at once, so one such name never holds the rest back.
        var refused = new List<string>();
        LftpBatch.Plan plan;
        ProcessResult result;
        // Wall-clock time on purpose: it is compared with file mtimes.
        DateTimeOffset started = TimeProvider.System.GetUtcNow();
        while (true)
        {
            plan = LftpBatch.Create(batch, _node, _sync, sourceRoot, password, listing, deleteLimit, _refusedNames, lastSuccessStart: _lastSuccessStart);
            result = await RunAsync(plan.Script, password, context, _runner, deadline);
            List<string> newlyRefused = result.ExitCode == 0 || refused.Count >= MaxRefusedPerBatch
                ? []
                : [.. RefusedNames(result.StandardError).Where(_refusedNames.Add)];
            if (newlyRefused.Count == 0)
            {
                break;
            }

            refused.AddRange(newlyRefused);
        }

        if (result.ExitCode == 0)
        {
            _lastSuccessStart = started;
        }

        if (result.ExitCode == 0 && plan.DeletionsHeld)
        {
            // As rsync's --max-delete: everything else was sent, the deletions wait (logged by the worker).
            result = result with { ExitCode = RsyncExitCodes.MaxDeleteReached, StandardError = "the max_delete limit stopped deletions\n" + result.StandardError };
        }

        return Classified(result, deleteLimit) with
        {
            Unsendable = [.. plan.Unsendable, .. refused],
            UnsendableReason = "the server refuses the name (FTP 553), or it holds a line break, which lftp's commands cannot carry",
            SourcePrefix = sourceRoot,
            Stats = Sent(result.StandardOutput),
        };
    }

    /// <summary>The first line of password_file (without its line end), read without following a link; null when the node has none.</summary>
    public static string? ReadPassword(NodeConfig node)
    {
        if (node.PasswordFile is null)
        {
            return null;
        }

        string text = Encoding.UTF8.GetString(BoundedFile.ReadAllBytes(node.PasswordFile, 4096));
        int end = text.AsSpan().IndexOfAny('\n', '\r');
        return end < 0 ? text : text[..end];
    }

    private async Task<ProcessResult> RunAsync(LftpScript script, string? password, TransportContext context, ProcessRunner runner, CancellationToken deadline)
    {
        _log.Debug("Running lftp for {Node}: {Script:l}", _node.Target, script.ToString());
        context.ProcessStarting();
        TimeSpan stalled = LftpScript.StalledUploadLimit(_sync.RsyncTimeout);
        UploadStallWatch? watch = _node.Endpoint!.Protocol == FileTransferProtocol.Sftp && stalled > TimeSpan.Zero
            ? new UploadStallWatch(stalled + s_watchBackstop, TimeProvider.System)
            : null;
        return await RunScriptAsync(runner, script, password, deadline, watch);
    }

    /// <summary>
    /// Runs lftp with <paramref name="script"/> on its stdin. Its output comes back without the password (lftp writes
    /// it into URLs, percent-encoded) and without the messages of commands allowed to fail.
    /// </summary>
    /// <param name="runner">The runner.</param>
    /// <param name="script">The script.</param>
    /// <param name="password">The password, taken out of the output.</param>
    /// <param name="cancellationToken">Stops lftp.</param>
    /// <param name="watch">Stops an lftp whose upload stalled; the run then fails with a line that says so.</param>
    public static async Task<ProcessResult> RunScriptAsync(
        ProcessRunner runner, LftpScript script, string? password, CancellationToken cancellationToken, UploadStallWatch? watch = null)
    {
        ProcessResult result;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task watching = Task.CompletedTask;
        long started = TimeProvider.System.GetTimestamp();
        try
        {
            result = await runner.RunAsync(Lftp, [], script.ToBytes(), run.Token, watch is null ? null : pid => watching = watch.WatchAsync(pid, run));
        }
        catch (OperationCanceledException) when (watch is { Fired: true } && !cancellationToken.IsCancellationRequested)
        {
            result = new ProcessResult(
                1,
                "",
                string.Create(CultureInfo.InvariantCulture, $"upload stalled: lftp held a file open and moved no byte for {watch.Limit.TotalSeconds:0} s (lftp 4.9.2 waits so for a file that grew while it was uploaded); stopped\n"),
                TimeProvider.System.GetElapsedTime(started));
        }
        finally
        {
            await run.CancelAsync();
            await watching;
        }

        return result with
        {
            StandardOutput = LftpSyntax.WithoutPassword(result.StandardOutput, password),
            StandardError = LftpSyntax.WithoutPassword(WithoutToleratedErrors(result.StandardError), password),
        };
    }

    /// <summary>
    /// The names in "…: 553 Prohibited file name: dir/name" lines: only a reply that says the file name is refused
    /// counts (pure-ftpd also answers 553 for a file it cannot open, vsftpd for one it cannot create: failures of the
    /// node, retried, never a name left out for good).
    /// </summary>
    public static IEnumerable<string> RefusedNames(string standardError)
    {
        foreach (string line in standardError.Split('\n'))
        {
            int code = line.IndexOf(": 553 ", StringComparison.Ordinal);
            int name = code < 0 ? -1 : line.IndexOf(": ", code + 6, StringComparison.Ordinal);
            if (name > 0 && line.Length > name + 2 && line.AsSpan(code + 6, name - code - 6).Contains("file name", StringComparison.OrdinalIgnoreCase))
            {
                string path = line[(name + 2)..];
                yield return path[(path.LastIndexOf('/') + 1)..];
            }
        }
    }

    // mirror -v says "Transferring file `x'" once per upload; lftp does not count bytes.
    private static RsyncStats Sent(string output) =>
        new(output.Split('\n').Count(l => l.StartsWith("Transferring file ", StringComparison.Ordinal)), 0);

    private static TransportResult Classified(ProcessResult result, int? deleteLimit)
    {
        RsyncOutcome outcome = result.ExitCode switch
        {
            0 => RsyncOutcome.Success,
            ProcessResult.NotStartedExitCode => RsyncOutcome.NotStarted,
            _ when s_loginRefused.Any(m => result.StandardError.Contains(m, StringComparison.Ordinal)) => RsyncOutcome.ConfigurationError,
            _ when s_unreachable.Any(m => result.StandardError.Contains(m, StringComparison.Ordinal)) => RsyncOutcome.Unavailable,
            _ => RsyncOutcome.Failure,
        };
        return new TransportResult(result, outcome) { DeleteLimit = deleteLimit };
    }

    // Renames and mkdirs may fail by design (LftpCommands); their messages would only hide the one that matters.
    private static string WithoutToleratedErrors(string standardError) =>
        string.Join('\n', standardError.Split('\n').Where(l =>
            !l.StartsWith("mv: ", StringComparison.Ordinal) && !l.StartsWith("mkdir: ", StringComparison.Ordinal) && l != "[…]"));
}
