using Inosync.Coalescing;

namespace Inosync.Nodes;

/// <summary>
/// Carries one batch to one node: the seam between the <see cref="NodeWorker"/>'s loop (when, how often, what next)
/// and a protocol (how). A batch is a <see cref="SyncBatch"/>: a full sync, or the changed names per directory plus
/// the moves. The transport runs at most one client process for it (renames aside), classifies how that ended, and
/// returns a <see cref="TransportResult"/>; the worker's <see cref="RetryPolicy"/> decides what follows. Today:
/// <see cref="RsyncTransport"/>, <see cref="LftpTransport"/> for servers without rsync, and <see cref="PretendTransport"/> for --pretend.
/// </summary>
internal interface INodeTransport
{
    /// <summary>Whatever must happen once before the first batch (rsync: wait for an rsync a killed inosync left running).</summary>
    /// <param name="stopping">Ends the wait: the transport then throws <see cref="OperationCanceledException"/>.</param>
    Task PrepareAsync(CancellationToken stopping);

    /// <summary>Sends <paramref name="batch"/>.</summary>
    /// <param name="batch">What to send.</param>
    /// <param name="context">What the worker knows that the transport needs.</param>
    /// <param name="deadline">Ends the run (stop): the transport then throws <see cref="OperationCanceledException"/>.</param>
    Task<TransportResult> SendAsync(SyncBatch batch, TransportContext context, CancellationToken deadline);
}
