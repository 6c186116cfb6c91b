using System.Collections.Frozen;
using Inosync.Processes;

namespace Inosync.Rsync;

/// <summary>
/// rsync's exit codes (the EXIT VALUES of <c>man rsync</c>, 3.5.0) and what the worker does with each — after
/// lsyncd's <c>rsyncExitCodes</c>, except that 23 is not success: a partial transfer leaves the node stale.
/// <code>
///   0  Success                                                  → success
///   1  Syntax or usage error                                    → configuration error (retry; an admin can fix it)
///   2  Protocol incompatibility                                 → configuration error
///   3  Errors selecting input/output files, directories         → failure (retry)
///   4  Requested action not supported (64-bit files; an option
///      supported by the client and not by the server)           → configuration error
///   5  Error starting client-server protocol                    → unavailable (retry)
///  10  Error in socket I/O                                      → unavailable
///  11  Error in file I/O                                        → failure (e.g. the node's disk is full)
///  12  Error in rsync protocol data stream                      → unavailable (typically the connection dropped)
///  13  Errors with program diagnostics                          → failure
///  14  Error in IPC code                                        → failure
///  15  Sibling process crashed                                  → failure
///  16  Sibling process was killed by a signal                   → failure
///  19  Received SIGUSR1                                         → failure
///  20  Received SIGINT, SIGTERM, or SIGHUP                      → failure
///  21  Some error returned by waitpid()                         → failure
///  22  Error allocating core memory buffers                     → failure
///  23  Partial transfer due to error                            → partial transfer (retry, then drop the batch)
///  24  Partial transfer due to vanished source files            → success (a newer change covers what vanished)
///  25  The --max-delete limit stopped deletions                 → failure
///  30  Timeout in data send/receive                             → unavailable
///  35  Timeout waiting for daemon connection                    → unavailable
/// 255  ssh failed (unreachable host, authentication)            → unavailable
/// </code>
/// </summary>
public static class RsyncExitCodes
{
    /// <summary>25: the --max-delete limit stopped deletions.</summary>
    public const int MaxDeleteReached = 25;

    // One table for both the decision and the words (lsyncd's rsyncExitCodes is the model); the comment above says why.
    private static readonly FrozenDictionary<int, (string Meaning, RsyncOutcome Outcome)> s_codes = new Dictionary<int, (string, RsyncOutcome)>
    {
        [0] = ("success", RsyncOutcome.Success),
        [1] = ("syntax or usage error", RsyncOutcome.ConfigurationError),
        [2] = ("protocol incompatibility", RsyncOutcome.ConfigurationError),
        [3] = ("errors selecting input/output files, directories", RsyncOutcome.Failure),
        [4] = ("requested action not supported", RsyncOutcome.ConfigurationError),
        [5] = ("error starting client-server protocol", RsyncOutcome.Unavailable),
        [10] = ("error in socket I/O", RsyncOutcome.Unavailable),
        [11] = ("error in file I/O", RsyncOutcome.Failure),
        [12] = ("error in rsync protocol data stream", RsyncOutcome.Unavailable),
        [13] = ("errors with program diagnostics", RsyncOutcome.Failure),
        [14] = ("error in IPC code", RsyncOutcome.Failure),
        [15] = ("sibling process crashed", RsyncOutcome.Failure),
        [16] = ("sibling process was killed by a signal", RsyncOutcome.Failure),
        [19] = ("received SIGUSR1", RsyncOutcome.Failure),
        [20] = ("received SIGINT, SIGTERM, or SIGHUP", RsyncOutcome.Failure),
        [21] = ("some error returned by waitpid()", RsyncOutcome.Failure),
        [22] = ("error allocating core memory buffers", RsyncOutcome.Failure),
        [23] = ("partial transfer due to error", RsyncOutcome.PartialTransfer),
        [24] = ("partial transfer due to vanished source files", RsyncOutcome.Success),
        [25] = ("the --max-delete limit stopped deletions", RsyncOutcome.Failure),
        [30] = ("timeout in data send/receive", RsyncOutcome.Unavailable),
        [35] = ("timeout waiting for daemon connection", RsyncOutcome.Unavailable),
        [255] = ("remote shell failed", RsyncOutcome.Unavailable),
        [ProcessResult.NotStartedExitCode] = ("could not be started", RsyncOutcome.NotStarted),
    }.ToFrozenDictionary();

    public static RsyncOutcome Classify(int exitCode) => s_codes.TryGetValue(exitCode, out var code) ? code.Outcome : RsyncOutcome.Failure;

    /// <summary>The meaning of <paramref name="exitCode"/> in the words of <c>man rsync</c>, for logs.</summary>
    public static string Describe(int exitCode) => s_codes.TryGetValue(exitCode, out var code) ? code.Meaning : "unknown exit code";
}
