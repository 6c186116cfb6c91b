using Inosync.Processes;

namespace Inosync.Nodes;

/// <summary>How a <see cref="NodeWorker"/> runs; the defaults suit production.</summary>
public sealed record NodeWorkerOptions
{
    /// <summary>Log the rsync commands instead of running them; every batch then counts as a success.</summary>
    public bool Pretend { get; init; }

    /// <summary>On stop, how long a running rsync (and then the final batch) may take before it is terminated.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Between SIGTERM and SIGKILL when an rsync is terminated.</summary>
    public TimeSpan TerminateGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry delay; it doubles up to <see cref="MaximumRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the retry delay.</summary>
    public TimeSpan MaximumRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Before the first sync, how long an rsync an earlier (killed) inosync left running for the node is waited
    /// for before it is terminated (see <see cref="LeftoverRsyncs"/>).</summary>
    public TimeSpan LeftoverRsyncPatience { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a worker's stop can take: a running batch gets StopGrace, then the final one as long again,
    /// each plus TerminateGrace between SIGTERM and SIGKILL.</summary>
    public TimeSpan LongestStop => 2 * (StopGrace + TerminateGrace);

    /// <summary>The daemon-wide cap on running client processes (max_processes), shared with every other worker; null:
    /// no cap.</summary>
    public ProcessSlots? Slots { get; init; }

    /// <summary>After this many consecutive partial transfers (exit 23) the batch is dropped (a full sync retries it).</summary>
    public int PartialTransferAttempts { get; init; } = 5;
}
