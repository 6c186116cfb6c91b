namespace Inosync.Status;

/// <summary>The values of <see cref="StatusDocument.State"/>. Strings, not an enum: they are the file format.</summary>
public static class DaemonStates
{
    /// <summary>Establishing the watches (minutes, for a large tree); no node has been synced yet.</summary>
    public const string Starting = "starting";

    /// <summary>Every watch is set and changes are followed; the initial full sync of some node has not finished yet
    /// (each node's own state says where it is).</summary>
    public const string InitialSync = "initial-sync";

    /// <summary>Watching and syncing.</summary>
    public const string Running = "running";

    /// <summary>SIGTERM or SIGINT received: running rsyncs finish and pending changes sync once more.</summary>
    public const string Stopping = "stopping";

    /// <summary>The daemon has exited; the document is its last state.</summary>
    public const string Stopped = "stopped";
}
