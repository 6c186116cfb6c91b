using Inosync.Watching;

namespace Inosync.Coalescing;

/// <summary>
/// The pending changes of one node, narrowed to parent-directory jobs. Pure: no I/O, no clock, not thread-safe
/// (the owner serialises access). Cost per <see cref="Add(FsChange)"/> is O(1) amortised (O(path depth)).
/// </summary>
public sealed class ChangeSet
{
    public ChangeSet(CoalescerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        throw new NotImplementedException("being written on the coalescer branch");
    }

    /// <summary>True when nothing is pending.</summary>
    public bool IsEmpty => throw new NotImplementedException();

    /// <summary>How many distinct changes are pending (names plus recursive directories; a pending full sync counts 1).</summary>
    public int Count => throw new NotImplementedException();

    /// <summary>Adds one change from the watcher.</summary>
    public void Add(FsChange change) => throw new NotImplementedException();

    /// <summary>Puts a batch that failed back, merged with whatever arrived since, so nothing is lost.</summary>
    public void Add(SyncBatch batch) => throw new NotImplementedException();

    /// <summary>Schedules one full sync; repeated requests while one is pending merge into it.</summary>
    public void RequestFullSync() => throw new NotImplementedException();

    /// <summary>Returns everything pending as one batch and leaves the set empty.</summary>
    public SyncBatch Take() => throw new NotImplementedException();
}
