namespace Inosync.Nodes;

/// <summary>What a <see cref="INodeTransport"/> is told about the node's state for one batch.</summary>
/// <param name="FirstFullSyncDone">The initial full sync has succeeded: later full syncs are not capped by max_delete.</param>
/// <param name="ProcessStarting">Called just before the client process starts (the status counts runs).</param>
internal sealed record TransportContext(bool FirstFullSyncDone, Action ProcessStarting);
