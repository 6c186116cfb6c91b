namespace Inosync.Configuration;

/// <summary>
/// The checks across <c>[[sync]]</c> tables, once every directory exists: a sync's local node must not write into
/// another sync's watched tree or contain it, and no two local targets may be one directory or nest, once symbolic
/// links are resolved. Each of these made rsync --delete wipe a tree that another sync owns.
/// </summary>
internal static class SyncOverlaps
{
    public static void Check(IReadOnlyList<PendingSync> syncs)
    {
        var targets = new List<(string Resolved, NodeConfig Node)>();
        foreach (PendingSync sync in syncs)
        {
            foreach (NodeConfig node in sync.Config.Nodes.Where(n => n.Kind == NodeKind.Local))
            {
                foreach (PendingSync other in syncs.Where(other => other != sync))
                {
                    StartupDirectories.CheckApart(
                        other.Config.WatchPath, node.Target, node.Location, resolveLinks: true, $" of the sync at {other.WatchPathLocation}");
                }

                string resolved = ConfigPaths.ResolveLinks(node.Target);
                foreach ((string earlierResolved, NodeConfig earlier) in targets)
                {
                    CheckTargetsApart(earlier, earlierResolved, node, resolved);
                }

                targets.Add((resolved, node));
            }
        }
    }

    private static void CheckTargetsApart(NodeConfig first, string firstResolved, NodeConfig second, string secondResolved)
    {
        string? relation = firstResolved == secondResolved ? "is the same directory as"
            : ConfigPaths.IsSameOrInside(secondResolved, firstResolved) ? "lies inside"
            : ConfigPaths.IsSameOrInside(firstResolved, secondResolved) ? "contains"
            : null;
        if (relation is null)
        {
            return;
        }

        string links = firstResolved != first.Target || secondResolved != second.Target
            ? $" (after resolving symbolic links: '{secondResolved}' and '{firstResolved}')"
            : "";
        throw new ConfigException(
            $"{second.Location}: local node target '{second.Target}' {relation} local node target '{first.Target}' at {first.Location}{links}: rsync --delete into one would delete the other's files");
    }
}
