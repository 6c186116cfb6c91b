namespace Inosync.Watching.Inotify;

/// <summary>
/// Files with an IN_MODIFY and no IN_CLOSE_WRITE since: each is reported once it has not been written for the settle
/// time, or at its deadline (its first unreported write + open_write_interval) even if the writes go on. So a long
/// write is synced at its close, when it pauses, and at least that often meanwhile. Reader-thread state.
/// </summary>
internal sealed class OpenWrites
{
    private readonly Dictionary<(WatchedDirectory Directory, string Name), (long Due, long Deadline)> _files = [];
    private readonly TimeProvider _time;
    private readonly long _settleMilliseconds;
    private readonly long _intervalMilliseconds;
    private readonly long _origin;

    /// <param name="time">The clock.</param>
    /// <param name="settle">How long a file must stay unwritten to count as settled.</param>
    /// <param name="interval">open_write_interval: how long a file written without pause may go unreported.</param>
    public OpenWrites(TimeProvider time, TimeSpan settle, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _settleMilliseconds = (long)settle.TotalMilliseconds;
        _intervalMilliseconds = (long)interval.TotalMilliseconds;
        _origin = time.GetTimestamp();
    }

    public int Count => _files.Count;

    // Milliseconds since this object was made: elapsed time, never a scaled raw timestamp (which overflows).
    private long Now => (long)_time.GetElapsedTime(_origin).TotalMilliseconds;

    /// <summary>An IN_MODIFY of the file.</summary>
    public void Written(WatchedDirectory directory, string name)
    {
        long now = Now;
        long deadline = _files.TryGetValue((directory, name), out var marked) ? marked.Deadline : now + _intervalMilliseconds;
        _files[(directory, name)] = (Math.Min(now + _settleMilliseconds, deadline), deadline);
    }

    /// <summary>Closed after writing, deleted, or replaced: reported by that event, if at all.</summary>
    public void Forget(WatchedDirectory directory, string name) => _files.Remove((directory, name));

    /// <summary>Everything is covered otherwise (a full sync follows); later writes mark files again.</summary>
    public void Clear() => _files.Clear();

    /// <summary>Makes every file due now (the final drain at stop).</summary>
    public void MakeAllDue()
    {
        foreach (var key in _files.Keys.ToArray())
        {
            _files[key] = (0, 0);
        }
    }

    /// <summary>The poll timeout: milliseconds until the earliest file is due, at most the settle time; -1 when none.</summary>
    public int MillisecondsUntilNextDue()
    {
        if (_files.Count == 0)
        {
            return Timeout.Infinite;
        }

        long earliest = long.MaxValue;
        foreach ((long due, _) in _files.Values)
        {
            earliest = Math.Min(earliest, due);
        }

        return (int)Math.Clamp(earliest - Now, 0, _settleMilliseconds);
    }

    /// <summary>Removes and returns the files that are due.</summary>
    public List<(WatchedDirectory Directory, string Name)> TakeDue()
    {
        var due = new List<(WatchedDirectory, string)>();
        if (_files.Count == 0)
        {
            return due;
        }

        long now = Now;
        foreach (var (file, (at, _)) in _files.ToArray())
        {
            if (at <= now)
            {
                _files.Remove(file);
                due.Add(file);
            }
        }

        return due;
    }
}
