namespace Inosync.Coalescing;

/// <summary>
/// Everything one node must sync in one rsync run. Either <see cref="FullSync"/> (the whole tree), or a
/// narrow set of <see cref="Jobs"/>, with no job below a recursive one and jobs sorted by directory (ordinal).
/// </summary>
public sealed record SyncBatch(bool FullSync, IReadOnlyList<DirectoryJob> Jobs, IReadOnlyList<MovedPath> Moves, int ChangeCount)
{
    public static SyncBatch Empty { get; } = new(false, [], [], 0);

    public bool IsEmpty => !FullSync && Jobs.Count == 0;
}
