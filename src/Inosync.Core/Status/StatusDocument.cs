namespace Inosync.Status;

/// <summary>
/// The status file (<c>status_file</c>): what a running inosync is doing, per sync and node. Written by
/// <see cref="StatusWriter"/>, read by <c>inosync status</c>; the JSON shape is documented in docs/operations.md.
/// </summary>
/// <param name="Format">The shape of this document; a reader refuses a newer one instead of misreading it.</param>
/// <param name="Version">The inosync version that wrote it.</param>
/// <param name="Pid">The daemon's process id: a reader tells a live daemon from a dead one's last words.</param>
/// <param name="Config">The absolute path of the configuration file.</param>
/// <param name="State">The daemon: <see cref="DaemonStates.Starting"/>, running, stopping or stopped.</param>
/// <param name="Started">When the daemon started.</param>
/// <param name="Updated">When this document was written.</param>
/// <param name="Syncs">One entry per [[sync]], in the order of the configuration file.</param>
public sealed record StatusDocument(
    int Format,
    string Version,
    int Pid,
    string Config,
    string State,
    DateTimeOffset Started,
    DateTimeOffset Updated,
    IReadOnlyList<SyncStatusEntry> Syncs)
{
    /// <summary>The value of <see cref="Format"/> this version writes and reads.</summary>
    public const int CurrentFormat = 1;
}
