namespace Inosync.Testing;

public enum TreeEntryKind
{
    Directory,
    File,
    Symlink,
    Other,
}

/// <summary>What the tree comparer knows of one entry.</summary>
/// <param name="Path">Relative, '/'-separated.</param>
/// <param name="Kind">Directory, file, symlink (never followed) or other (fifo, socket, device).</param>
/// <param name="Size">File size in bytes (0 otherwise).</param>
/// <param name="Hash">SHA-256 of a file's content, hex (empty otherwise).</param>
/// <param name="Mode">Permission bits (files and directories).</param>
/// <param name="LinkTarget">A symlink's target as stored.</param>
public sealed record TreeEntry(string Path, TreeEntryKind Kind, long Size, string Hash, UnixFileMode Mode, string? LinkTarget)
{
    public override string ToString() => Kind switch
    {
        TreeEntryKind.File => $"file {Size} B {Hash[..12]} {Convert.ToString((int)Mode, 8)}",
        TreeEntryKind.Directory => $"dir {Convert.ToString((int)Mode, 8)}",
        TreeEntryKind.Symlink => $"symlink -> {LinkTarget}",
        _ => "other",
    };
}
