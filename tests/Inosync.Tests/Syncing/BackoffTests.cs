using Inosync.Nodes;
using Inosync.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Inosync.Tests.Syncing;

public sealed class BackoffTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Delays_double_from_one_second_to_the_cap_with_jitter_in_range()
    {
        var backoff = new Backoff(_time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), jitter: 0.2, new Random(1));
        double[] nominal = [1, 2, 4, 8, 16, 32, 60, 60, 60];

        for (var i = 0; i < nominal.Length; i++)
        {
            var delay = backoff.RecordFailure().TotalSeconds;
            delay.Should().BeInRange(nominal[i] * 0.8, Math.Min(nominal[i] * 1.2, 60), "failure {0}", i + 1);
            backoff.NominalDelay.Should().Be(TimeSpan.FromSeconds(nominal[i]));
            backoff.IsAtCap.Should().Be(nominal[i] == 60);
            backoff.NextAttempt.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(delay));
        }
    }

    [Fact]
    public void Jitter_varies_the_delays()
    {
        var backoff = new Backoff(_time, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), jitter: 0.2, new Random(7));

        var delays = Enumerable.Range(0, 20).Select(_ => backoff.RecordFailure()).Distinct().ToList();

        delays.Should().HaveCountGreaterThan(10);
        delays.Should().OnlyContain(d => d >= TimeSpan.FromSeconds(8) && d <= TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Reset_after_success_starts_again_at_the_initial_delay()
    {
        var backoff = new Backoff(_time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), jitter: 0);
        for (var i = 0; i < 8; i++)
        {
            backoff.RecordFailure();
        }

        backoff.IsAtCap.Should().BeTrue();
        backoff.Reset();

        backoff.Failures.Should().Be(0);
        backoff.IsAtCap.Should().BeFalse();
        backoff.NextAttempt.Should().BeNull();
        backoff.RecordFailure().Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Wait_ends_when_the_fake_clock_reaches_the_next_attempt()
    {
        var backoff = new Backoff(_time, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(60), jitter: 0);
        backoff.RecordFailure();

        var wait = backoff.WaitAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));
        wait.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Wait_is_immediate_when_not_failing() =>
        await new Backoff(_time).WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
}
