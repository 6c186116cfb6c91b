using Inosync.Nodes;

namespace Inosync.Rsync;

/// <summary>What an rsync exit code means for the worker. See <see cref="RsyncExitCodes"/>.</summary>
public enum RsyncOutcome
{
    /// <summary>The node equals the source for everything in the batch.</summary>
    Success,

    /// <summary>Some files were not transferred (23): retried, but a batch that keeps failing this way because the source
    /// cannot be read is dropped (see <see cref="NodeWorker"/>).</summary>
    PartialTransfer,

    /// <summary>rsync rejected its command line or the node's rsync cannot do it (1, 2, 4): retried, logged as an error.</summary>
    ConfigurationError,

    /// <summary>The node or the network is unavailable (5, 10, 12, 30, 35, 255): retried.</summary>
    Unavailable,

    /// <summary>rsync could not be started at all (missing binary): retried, logged as an error.</summary>
    NotStarted,

    /// <summary>Any other failure: retried.</summary>
    Failure,
}
