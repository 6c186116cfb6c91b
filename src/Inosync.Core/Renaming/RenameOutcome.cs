namespace Inosync.Renaming;

/// <summary>What became of one moved path on a node. Anything but <see cref="Renamed"/> leaves it to rsync.</summary>
internal enum RenameOutcome
{
    Renamed,

    /// <summary>The paths are not a rename we can do (empty, "..", absolute, into itself).</summary>
    InvalidPaths,

    /// <summary>The old name is not on the node (never synced, or already moved).</summary>
    SourceMissing,

    /// <summary>The node has a file where the source has a directory, or the other way round.</summary>
    TypeMismatch,

    /// <summary>Something already has the new name; it is never overwritten or merged into.</summary>
    DestinationExists,

    /// <summary>A parent directory is missing, or is a symlink that a rename would follow out of the tree.</summary>
    ParentNotDirectory,

    /// <summary>The node directory itself is missing.</summary>
    RootMissing,

    /// <summary>The rename was attempted and failed (permissions, another filesystem, …).</summary>
    Failed,

    /// <summary>No answer for this move: the node could not be reached, or the connection broke.</summary>
    Unknown,
}
