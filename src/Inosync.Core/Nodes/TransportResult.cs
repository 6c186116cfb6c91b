using Inosync.Processes;
using Inosync.Rsync;

namespace Inosync.Nodes;

/// <summary>How sending one batch ended, as the <see cref="INodeTransport"/> classified it.</summary>
/// <param name="Process">The client's exit code, output and duration (exit 0 and empty output when nothing ran).</param>
/// <param name="Outcome">Success, or which kind of failure.</param>
internal sealed record TransportResult(ProcessResult Process, RsyncOutcome Outcome)
{
    /// <summary>Nothing was run: the source cannot be read safely any more (the reason is in <see cref="Process"/>).</summary>
    public bool Refused { get; init; }

    /// <summary>How many deletions a full sync was allowed (0: none, from an empty source); null when unlimited or not a full sync.</summary>
    public int? DeleteLimit { get; init; }

    /// <summary>Paths that can never be sent (longer than the protocol's limit): everything else was.</summary>
    public IReadOnlyList<string> Unsendable { get; init; } = [];

    /// <summary>Why <see cref="Unsendable"/> cannot be sent; null: rsync's path length limit.</summary>
    public string? UnsendableReason { get; init; }

    /// <summary>What was sent, when the client says so other than in rsync's --stats (lftp); null: parsed from stdout.</summary>
    public RsyncStats? Stats { get; init; }

    /// <summary>The prefix the client puts before paths in its messages (the source it read), to show them relative.</summary>
    public string SourcePrefix { get; init; } = "";

    public static TransportResult RefusedBecause(string why) =>
        new(new ProcessResult(ProcessResult.NotStartedExitCode, "", why, TimeSpan.Zero), RsyncOutcome.NotStarted) { Refused = true };
}
