using Inosync.Watching.Inotify;
using Microsoft.Extensions.Time.Testing;

namespace Inosync.Tests.Watching;

/// <summary>Files written without a close: reported once they settle, and at least every open_write_interval. Fake time, no sleeping.</summary>
public sealed class OpenWritesTests
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly WatchedDirectory _directory = new(1, "dir", new WatchedDirectory(0, "", null));
    private readonly OpenWrites _writes;

    public OpenWritesTests() => _writes = new OpenWrites(_time, s_settle, s_interval);

    [Fact]
    public void A_file_is_due_once_it_has_not_been_written_for_the_settle_time()
    {
        _writes.Written(_directory, "log");
        _writes.MillisecondsUntilNextDue().Should().Be(1000);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        _writes.TakeDue().Should().BeEmpty();
        _writes.MillisecondsUntilNextDue().Should().Be(1);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        _writes.TakeDue().Should().Equal((_directory, "log"));
        _writes.Count.Should().Be(0);
        _writes.MillisecondsUntilNextDue().Should().Be(Timeout.Infinite);
    }

    [Fact]
    public void A_file_written_without_pause_is_due_at_its_deadline_after_its_first_unreported_write()
    {
        _writes.Written(_directory, "log");
        for (int i = 0; i < 19; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            _writes.Written(_directory, "log");
            _writes.TakeDue().Should().BeEmpty($"written again {500 * (i + 1)} ms after the first write");
        }

        _time.Advance(TimeSpan.FromMilliseconds(500));
        _writes.TakeDue().Should().Equal((_directory, "log"));

        // The next write starts a new interval.
        _writes.Written(_directory, "log");
        _writes.MillisecondsUntilNextDue().Should().Be(1000);
    }

    [Fact]
    public void A_close_forgets_the_file_and_the_final_drain_makes_every_file_due()
    {
        _writes.Written(_directory, "closed");
        _writes.Written(_directory, "open");
        _writes.Forget(_directory, "closed");

        _writes.MakeAllDue();

        _writes.TakeDue().Should().Equal((_directory, "open"));
    }

    [Fact]
    public void A_clock_whose_raw_timestamp_times_1000_overflows_still_settles_files()
    {
        // FakeTimeProvider counts 100 ns ticks since year 1; this instant sits half a second before the point where
        // ticks × 1000 passes long.MaxValue: milliseconds must be taken as elapsed time, not as a scaled timestamp.
        long boundary = (long)(69 * (long.MaxValue / 1000.0 + 0.5));
        var time = new FakeTimeProvider(new DateTimeOffset(boundary - TimeSpan.TicksPerMillisecond * 500, TimeSpan.Zero));
        var writes = new OpenWrites(time, s_settle, s_interval);
        writes.Written(_directory, "log");

        time.Advance(TimeSpan.FromMilliseconds(1000));

        writes.TakeDue().Should().Equal((_directory, "log"));
    }
}
