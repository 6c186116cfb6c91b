namespace Inosync.Coalescing;

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
