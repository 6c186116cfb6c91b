namespace Inosync.Watching;

/// <summary>
/// What the watching layer reports. It knows the kernel, not rsync: a handful of verbs, paths
/// relative to the watched root, '/'-separated, never starting or ending with '/'; "" is the root itself.
/// </summary>
public enum FsChangeKind
{
    /// <summary>A non-directory entry was created, written (closed after writing) or changed its attributes;
    /// or a directory changed its attributes (<see cref="FsChange.IsDirectory"/> is then true).</summary>
    Modified,

    /// <summary>A directory appeared (mkdir, or moved in from outside the tree). Its whole content must be synced.</summary>
    DirectoryCreated,

    /// <summary>An entry is gone (deleted, or moved out of the tree).</summary>
    Deleted,

    /// <summary>An entry moved within the tree from <see cref="FsChange.OldPath"/> to <see cref="FsChange.Path"/>.</summary>
    Renamed,

    /// <summary>The content of directory <see cref="FsChange.Path"/> is unknown and must be synced recursively
    /// (e.g. it could not be watched: the watch limit, permissions).</summary>
    Rescan,

    /// <summary>Events were lost (kernel queue overflow): every node needs one full sync.</summary>
    Overflow,
}
