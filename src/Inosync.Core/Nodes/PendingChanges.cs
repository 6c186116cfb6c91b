using System.Threading.Channels;
using Inosync.Coalescing;
using Inosync.Watching;

namespace Inosync.Nodes;

/// <summary>
/// One node's <see cref="ChangeSet"/>, safe for the dispatcher to add to while the worker's loop takes from it, and the
/// wake-up the loop sleeps on: a capacity-1 channel (a dropped write means a wake-up is already pending, and a stale
/// one only costs a look at an empty set), so an idle worker runs no timer.
/// </summary>
internal sealed class PendingChanges(CoalescerOptions coalescer)
{
    private readonly Lock _lock = new();
    private readonly ChangeSet _changes = new(coalescer);
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _changes.Count;
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return _changes.IsEmpty;
            }
        }
    }

    /// <summary>A change from the watcher; wakes the loop.</summary>
    public void Add(FsChange change)
    {
        lock (_lock)
        {
            _changes.Add(change);
        }

        _wakeUp.Writer.TryWrite(true);
    }

    /// <summary>A batch that did not go through, merged back with newer changes: nothing is lost.</summary>
    public void Add(SyncBatch batch)
    {
        lock (_lock)
        {
            _changes.Add(batch);
        }
    }

    /// <summary>Schedules a full sync; wakes the loop.</summary>
    public void RequestFullSync()
    {
        lock (_lock)
        {
            _changes.RequestFullSync();
        }

        _wakeUp.Writer.TryWrite(true);
    }

    /// <summary>Everything pending, as one batch (empty when nothing is).</summary>
    public SyncBatch Take()
    {
        lock (_lock)
        {
            return _changes.Take();
        }
    }

    /// <summary>
    /// Returns true once something is pending; false when stopping. <paramref name="onIdle"/> runs each time nothing
    /// is. A wait that started idle then lets <paramref name="extraDelay"/> (edelay) pass, to collect more changes;
    /// changes that piled up during a run go at once.
    /// </summary>
    public async Task<bool> WaitForWorkAsync(TimeSpan extraDelay, TimeProvider timeProvider, Action onIdle, CancellationToken stopping)
    {
        bool wasIdle = false;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!IsEmpty)
                {
                    if (wasIdle && extraDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(extraDelay, timeProvider, stopping);
                    }

                    return true;
                }

                onIdle();
                wasIdle = true;
                await _wakeUp.Reader.ReadAsync(stopping);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        return false;
    }
}
