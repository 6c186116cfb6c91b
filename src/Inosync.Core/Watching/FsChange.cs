namespace Inosync.Watching;

/// <summary>One change seen in the watched tree.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Path">The entry's path relative to the watched root ("" for the root).</param>
/// <param name="IsDirectory">Whether the entry is (or was) a directory.</param>
/// <param name="OldPath">For <see cref="FsChangeKind.Renamed"/>: where it was before.</param>
public sealed record FsChange(FsChangeKind Kind, string Path, bool IsDirectory = false, string? OldPath = null)
{
    public static FsChange Overflow { get; } = new(FsChangeKind.Overflow, "");
}
