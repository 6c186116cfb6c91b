using Inosync.Processes;

namespace Inosync.Rsync;

/// <summary>
/// rsync's exit codes (the EXIT VALUES of <c>man rsync</c>, 3.5.0) and what the worker does with each — after
/// lsyncd's <c>rsyncExitCodes</c>, except that 23 is not success (lsyncd's #475: a partial transfer left nodes stale).
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

    public static RsyncOutcome Classify(int exitCode) => exitCode switch
    {
        0 or 24 => RsyncOutcome.Success,
        23 => RsyncOutcome.PartialTransfer,
        1 or 2 or 4 => RsyncOutcome.ConfigurationError,
        5 or 10 or 12 or 30 or 35 or 255 => RsyncOutcome.Unavailable,
        ProcessResult.NotStartedExitCode => RsyncOutcome.NotStarted,
        _ => RsyncOutcome.Failure,
    };

    /// <summary>The meaning of <paramref name="exitCode"/> in the words of <c>man rsync</c>, for logs.</summary>
    public static string Describe(int exitCode) => exitCode switch
    {
        0 => "success",
        1 => "syntax or usage error",
        2 => "protocol incompatibility",
        3 => "errors selecting input/output files, directories",
        4 => "requested action not supported",
        5 => "error starting client-server protocol",
        10 => "error in socket I/O",
        11 => "error in file I/O",
        12 => "error in rsync protocol data stream",
        13 => "errors with program diagnostics",
        14 => "error in IPC code",
        15 => "sibling process crashed",
        16 => "sibling process was killed by a signal",
        19 => "received SIGUSR1",
        20 => "received SIGINT, SIGTERM, or SIGHUP",
        21 => "some error returned by waitpid()",
        22 => "error allocating core memory buffers",
        23 => "partial transfer due to error",
        24 => "partial transfer due to vanished source files",
        25 => "the --max-delete limit stopped deletions",
        30 => "timeout in data send/receive",
        35 => "timeout waiting for daemon connection",
        255 => "remote shell failed",
        ProcessResult.NotStartedExitCode => "could not be started",
        _ => "unknown exit code",
    };
}
