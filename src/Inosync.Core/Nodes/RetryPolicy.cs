using Inosync.Rsync;
using Serilog.Events;

namespace Inosync.Nodes;

/// <summary>
/// What follows a failed batch, in the manner of Serilog's FailureAwareBatchScheduler: retry after the
/// <see cref="Backoff"/> delay, with the log level saying when an admin must look; or, for a batch that keeps ending in
/// partial transfers because the source cannot be read (a file nobody may read), give it up after
/// <c>partialTransferAttempts</c> in a row so that one unreadable file cannot stall the node for ever. Not thread-safe:
/// it belongs to one worker loop.
/// </summary>
internal sealed class RetryPolicy
{
    private readonly Backoff _backoff;
    private readonly int _partialTransferAttempts;
    private int _partialTransfers;

    public RetryPolicy(Backoff backoff, int partialTransferAttempts)
    {
        ArgumentNullException.ThrowIfNull(backoff);
        ArgumentOutOfRangeException.ThrowIfLessThan(partialTransferAttempts, 1);
        _backoff = backoff;
        _partialTransferAttempts = partialTransferAttempts;
    }

    /// <summary>When the next attempt is due, or null when not failing.</summary>
    public DateTimeOffset? NextAttempt => _backoff.NextAttempt;

    /// <summary>Whether a lasting condition should be said again now: before the first failure, and while the delay is
    /// at its cap (about once a minute).</summary>
    public bool SayAgain => _backoff.Failures == 0 || _backoff.IsAtCap;

    /// <summary>A batch succeeded. Returns how many attempts had failed before it.</summary>
    public int Succeeded()
    {
        int failures = _backoff.Failures;
        _backoff.Reset();
        _partialTransfers = 0;
        return failures;
    }

    /// <summary>A batch failed with <paramref name="outcome"/> (and is not the final one at stop).</summary>
    public RetryDecision Failed(RsyncOutcome outcome)
    {
        _partialTransfers = outcome == RsyncOutcome.PartialTransfer ? _partialTransfers + 1 : 0;
        if (outcome == RsyncOutcome.PartialTransfer && _partialTransfers >= _partialTransferAttempts)
        {
            int attempts = _partialTransfers;
            _partialTransfers = 0;
            _backoff.Reset();
            return new RetryDecision(Drop: true, TimeSpan.Zero, LogEventLevel.Error, attempts);
        }

        TimeSpan delay = _backoff.RecordFailure();

        // An admin must act on configuration errors and a client that cannot start; the others may heal by themselves.
        LogEventLevel level = LogEventLevel.Debug;
        if (_backoff.Failures == 1 || _backoff.IsAtCap)
        {
            level = outcome is RsyncOutcome.ConfigurationError or RsyncOutcome.NotStarted ? LogEventLevel.Error : LogEventLevel.Warning;
        }

        return new RetryDecision(Drop: false, delay, level, _backoff.Failures);
    }

    /// <summary>A batch failed without a client's verdict (a bug of ours, or refused before anything ran): wait before trying again.</summary>
    public void FailedUnexpectedly() => _backoff.RecordFailure();

    /// <summary>Waits until <see cref="NextAttempt"/> (at once when not failing).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _backoff.WaitAsync(cancellationToken);
}
