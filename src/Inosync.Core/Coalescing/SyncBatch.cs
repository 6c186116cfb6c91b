namespace Inosync.Coalescing;

/// <summary>What happened to one name inside a directory job.</summary>
[Flags]
public enum NameChange
{
    None = 0,

    /// <summary>Created, written or changed attributes: transfer the entry itself (not its content if it is a directory).</summary>
    Modified = 1,

    /// <summary>Deleted or moved away: if it is missing from the source, delete it (and everything below it) on the node.</summary>
    Removed = 2,
}

/// <summary>
/// A parent-directory job: the directory (relative to the watched root, "" = root) and either the set of
/// names that changed in it, or — when <see cref="Recursive"/> — the whole directory and everything below it.
/// A job with names also stands for its directory's own entry; a job that is not recursive and has no names
/// stands only for that (the root's attributes changed: the root has no parent to be named in).
/// </summary>
public sealed record DirectoryJob(string Directory, bool Recursive, IReadOnlyDictionary<string, NameChange> Names)
{
    private static readonly IReadOnlyDictionary<string, NameChange> s_none = new Dictionary<string, NameChange>();

    public static DirectoryJob WholeDirectory(string directory) => new(directory, true, s_none);
}

/// <summary>An entry moved within the tree; nodes that can rename in place use these before the rsync reconciles.</summary>
public sealed record MovedPath(string From, string To, bool IsDirectory);

/// <summary>
/// Everything one node must sync in one rsync run. Either <see cref="FullSync"/> (the whole tree), or a
/// narrow set of <see cref="Jobs"/>, with no job below a recursive one and jobs sorted by directory (ordinal).
/// </summary>
public sealed record SyncBatch(bool FullSync, IReadOnlyList<DirectoryJob> Jobs, IReadOnlyList<MovedPath> Moves, int ChangeCount)
{
    public static SyncBatch Empty { get; } = new(false, [], [], 0);

    public bool IsEmpty => !FullSync && Jobs.Count == 0;
}
