namespace Inosync.Configuration;

public enum MoveStrategy
{
    /// <summary>A moved entry is deleted and transferred again by rsync.</summary>
    Transfer,

    /// <summary>A moved entry is first renamed on the node, then rsync reconciles (falls back to transfer on failure).</summary>
    Rename,
}
