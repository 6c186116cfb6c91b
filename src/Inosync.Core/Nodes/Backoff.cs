namespace Inosync.Nodes;

/// <summary>
/// The delay before retrying a failing node: <c>initial</c> doubling up to <c>maximum</c>, each delay jittered so
/// nodes that failed together do not retry in lockstep; back to <c>initial</c> after a success.
/// After Serilog's FailureAwareBatchScheduler; time comes from a <see cref="TimeProvider"/> so tests can fake it.
/// Not thread-safe: it belongs to one worker loop.
/// </summary>
public sealed class Backoff
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _initial;
    private readonly TimeSpan _maximum;
    private readonly double _jitter;
    private readonly Random _random;

    public Backoff(TimeProvider timeProvider)
        : this(timeProvider, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60))
    {
    }

    /// <param name="timeProvider">The clock.</param>
    /// <param name="initial">The first delay.</param>
    /// <param name="maximum">The cap.</param>
    /// <param name="jitter">Each delay is scaled by a random factor in [1 - jitter, 1 + jitter] (then capped).</param>
    /// <param name="random">The jitter's source; <see cref="Random.Shared"/> when null.</param>
    public Backoff(TimeProvider timeProvider, TimeSpan initial, TimeSpan maximum, double jitter = 0.2, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitter, 1.0);
        _timeProvider = timeProvider;
        _initial = initial;
        _maximum = maximum;
        _jitter = jitter;
        _random = random ?? Random.Shared;
    }

    /// <summary>Consecutive failures since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>The delay before jitter of the last failure (zero when not failing).</summary>
    public TimeSpan NominalDelay { get; private set; }

    /// <summary>Whether the last failure's delay was the cap: the worker logs again each time, not at every retry.</summary>
    public bool IsAtCap => Failures > 0 && NominalDelay >= _maximum;

    /// <summary>When the next attempt is due, or null when not failing.</summary>
    public DateTimeOffset? NextAttempt { get; private set; }

    /// <summary>Records a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan RecordFailure()
    {
        Failures++;

        // Double without overflowing: stop doubling once past the cap.
        NominalDelay = Failures == 1 ? _initial : TimeSpan.FromTicks(Math.Min(NominalDelay.Ticks * 2, _maximum.Ticks));
        var factor = 1.0 + (_jitter * ((2 * _random.NextDouble()) - 1));
        var delay = TimeSpan.FromTicks(Math.Min((long)(NominalDelay.Ticks * factor), _maximum.Ticks));
        NextAttempt = _timeProvider.GetUtcNow() + delay;
        return delay;
    }

    /// <summary>Waits until <see cref="NextAttempt"/> (at once when not failing).</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (NextAttempt is not { } due)
        {
            return Task.CompletedTask;
        }

        var remaining = due - _timeProvider.GetUtcNow();
        return remaining <= TimeSpan.Zero
            ? Task.CompletedTask
            : Task.Delay(remaining, _timeProvider, cancellationToken);
    }

    /// <summary>A success: the next failure starts again at the initial delay.</summary>
    public void Reset()
    {
        Failures = 0;
        NominalDelay = TimeSpan.Zero;
        NextAttempt = null;
    }
}
