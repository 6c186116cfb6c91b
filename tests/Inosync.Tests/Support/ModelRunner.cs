using Inosync.Coalescing;

namespace Inosync.Tests.Support;

/// <summary>
/// Applies a <see cref="SyncBatch"/> to a node <see cref="ModelTree"/> doing no more than the runner is promised
/// to do, so a coalescer that passes against it does not depend on the runner being generous:
/// <list type="number">
/// <item>Full sync: the node becomes the (not excluded part of the) source.</item>
/// <item>Moves, when the node renames in place: From → To, only where that is plainly possible.</item>
/// <item>Every job transfers its directory's ancestors and, for a job with names, the directory itself, as
/// entries (created, type fixed, attributes copied), top-down while they are directories on the source.</item>
/// <item>Recursive job: if the source has the directory, the node's subtree becomes the source's. Else nothing.</item>
/// <item>Named entry: present on the source and Modified → the entry itself is transferred (a directory's
/// content only if it replaced a non-directory: then it starts empty). Missing on the source and Removed →
/// deleted with everything below it. Otherwise nothing.</item>
/// </list>
/// </summary>
internal static class ModelRunner
{
    public static void Apply(SyncBatch batch, ModelTree source, ModelTree node, Func<string, bool, bool>? isExcluded = null, bool renameInPlace = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(node);
        bool Visible(string path) => source.Get(path) is { } e && (isExcluded is null || !isExcluded(path, e.IsDirectory));

        if (batch.FullSync)
        {
            node.Clear();
            node.RootMode = source.RootMode;
            foreach (var (path, entry) in source.Entries)
            {
                if (Visible(path))
                {
                    node.Put(path, entry);
                }
            }

            return;
        }

        if (renameInPlace)
        {
            foreach (var move in batch.Moves)
            {
                if (node.CanRename(move.From, move.To))
                {
                    node.MoveTree(move.From, move.To);
                }
            }
        }

        foreach (var job in batch.Jobs)
        {
            TransferAncestors(job.Directory, includeSelf: !job.Recursive);
            if (job.Recursive)
            {
                if (Visible(job.Directory) && source.IsDirectory(job.Directory))
                {
                    node.DeleteTree(job.Directory);
                    foreach (var path in source.Subtree(job.Directory).Where(Visible))
                    {
                        node.Put(path, source.Get(path)!);
                    }
                }

                continue;
            }

            foreach (var (name, change) in job.Names)
            {
                var path = ModelTree.Join(job.Directory, name);
                if (Visible(path))
                {
                    if (change.HasFlag(NameChange.Modified))
                    {
                        TransferEntry(path);
                    }
                }
                else if (change.HasFlag(NameChange.Removed))
                {
                    node.DeleteTree(path);
                }
            }
        }

        void TransferAncestors(string directory, bool includeSelf)
        {
            if (includeSelf && directory.Length == 0)
            {
                node.RootMode = source.RootMode;
            }

            for (var end = directory.IndexOf('/', StringComparison.Ordinal); ; end = directory.IndexOf('/', end + 1))
            {
                var prefix = end < 0 ? directory : directory[..end];
                if (end < 0 && !includeSelf)
                {
                    return;
                }

                if (prefix.Length == 0 || !Visible(prefix) || !source.IsDirectory(prefix))
                {
                    return;
                }

                TransferEntry(prefix);
                if (end < 0)
                {
                    return;
                }
            }
        }

        void TransferEntry(string path)
        {
            var entry = source.Get(path)!;
            if (!entry.IsDirectory || !node.IsDirectory(path))
            {
                node.DeleteTree(path);
            }

            node.Put(path, entry);
        }
    }

    /// <summary>The part of the source a node must equal: everything not excluded.</summary>
    public static Dictionary<string, ModelEntry> Expected(ModelTree source, Func<string, bool, bool>? isExcluded = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Entries
            .Where(e => isExcluded is null || !isExcluded(e.Key, e.Value.IsDirectory))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }
}
