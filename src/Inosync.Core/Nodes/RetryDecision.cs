using Serilog.Events;

namespace Inosync.Nodes;

/// <summary>What <see cref="RetryPolicy"/> decided about a failed batch.</summary>
/// <param name="Drop">Give the batch up (a full sync retries it later); the next batch starts at once.</param>
/// <param name="Delay">When retried: how long to wait.</param>
/// <param name="Level">How loud to log it: a warning or error on the first failure and then about once a minute, debug between.</param>
/// <param name="Attempt">Consecutive failures so far (when retried), or the partial transfers that made it drop.</param>
internal sealed record RetryDecision(bool Drop, TimeSpan Delay, LogEventLevel Level, int Attempt);
