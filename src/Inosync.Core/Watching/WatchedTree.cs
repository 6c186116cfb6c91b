using System.IO.Enumeration;
using Inosync.Filtering;

namespace Inosync.Watching;

/// <summary>Facts about a watched tree that need a walk of it, for messages and <c>inosync check</c>.</summary>
public static class WatchedTree
{
    private static readonly EnumerationOptions s_children = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0, // dot-directories count as Hidden on Unix: we want them all
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// How many directories under <paramref name="root"/> (itself included) would get a watch: every directory that
    /// is not excluded, never through a symlink. Reads directory entries only (d_type), no stat per file.
    /// </summary>
    public static int CountDirectories(string root, PathFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        int count = 0;
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            count++;
            try
            {
                var entries = new FileSystemEnumerable<string>(
                    current.Length == 0 ? root : $"{root}/{current}",
                    static (ref FileSystemEntry entry) => entry.FileName.ToString(),
                    s_children)
                {
                    ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                        entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
                };
                foreach (string child in entries)
                {
                    string childPath = current.Length == 0 ? child : $"{current}/{child}";
                    if (!filter.IsExcluded(childPath, true))
                    {
                        pending.Push(childPath);
                    }
                }
            }
            catch (IOException)
            {
                // Vanished while we listed it: it needs no watch.
            }
            catch (UnauthorizedAccessException)
            {
                // Unreadable: it cannot be watched either; the watcher reports it when it gets there.
            }
        }

        return count;
    }
}
