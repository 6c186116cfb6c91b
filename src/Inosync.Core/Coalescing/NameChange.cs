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
