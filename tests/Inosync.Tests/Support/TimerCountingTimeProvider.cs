using Microsoft.Extensions.Time.Testing;

namespace Inosync.Tests.Support;

/// <summary>
/// <see cref="FakeTimeProvider"/> that also counts the timers that are scheduled, so a test can prove that an idle
/// loop waits on a signal and not on a timer.
/// </summary>
public sealed class TimerCountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _activeTimers;

    public TimerCountingTimeProvider() : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers currently scheduled: not disposed, with a finite due time.</summary>
    public int ActiveTimers => Volatile.Read(ref _activeTimers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new CountedTimer(this);
        timer.Inner = base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class CountedTimer(TimerCountingTimeProvider owner) : ITimer
    {
        private readonly Lock _lock = new();
        private bool _scheduled;
        private bool _disposed;

        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return false;
                }

                Schedule(dueTime != Timeout.InfiniteTimeSpan);
                return Inner.Change(dueTime, period);
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                Schedule(false);
                _disposed = true;
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Schedule(bool scheduled)
        {
            if (scheduled != _scheduled)
            {
                Interlocked.Add(ref owner._activeTimers, scheduled ? 1 : -1);
                _scheduled = scheduled;
            }
        }
    }
}
