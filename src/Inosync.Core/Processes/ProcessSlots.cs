namespace Inosync.Processes;

/// <summary>
/// The daemon-wide cap on client processes running at once (<c>max_processes</c>), shared by every sync and node. A
/// node holds one slot for a whole batch and waits for one in turn: waiters are served first come, first served, and
/// each node waits for at most one slot, so a node that just finished cannot starve another that waits.
/// </summary>
public sealed class ProcessSlots : IDisposable
{
    private readonly SemaphoreSlim _free;

    /// <param name="count">How many processes may run at once; at least 1.</param>
    public ProcessSlots(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        _free = new SemaphoreSlim(count, count);
    }

    /// <summary>The default of <c>max_processes</c>: two per core, at least four (a remote node's rsync mostly waits on
    /// the network; a local one uses a core and the disk).</summary>
    public static int DefaultCount => Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>How many processes may run at once.</summary>
    public int Count { get; }

    /// <summary>How many slots are taken now.</summary>
    public int InUse => Count - _free.CurrentCount;

    /// <summary>Waits for a free slot; dispose what it returns to give the slot back (once).</summary>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken);
        return new Lease(this);
    }

    /// <summary>A slot of <paramref name="slots"/> (a lease that frees nothing when there is no cap), or null when
    /// <paramref name="cancellationToken"/> fires first.</summary>
    public static async Task<IDisposable?> TryAcquireAsync(ProcessSlots? slots, CancellationToken cancellationToken)
    {
        if (slots is null)
        {
            return new Lease(null);
        }

        try
        {
            return await slots.AcquireAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _free.Dispose();

    private sealed class Lease(ProcessSlots? owner) : IDisposable
    {
        private ProcessSlots? _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?._free.Release();
    }
}
