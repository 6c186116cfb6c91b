using System.Globalization;

namespace Inosync.Migration;

/// <summary>
/// An old config's nodes as inosync nodes: the ssh:// form one fork accepted, node and path split apart (inosync joins
/// node + rpath), one [[sync]] per distinct remote path, the directory name rsync appended when wpath had no trailing
/// slash, and a comment wherever the meaning had to change.
/// </summary>
internal static class NodeMigration
{
    /// <param name="Comments">What changed from the node as written.</param>
    public sealed record OutNode(string Node, IReadOnlyList<string> Extra, IReadOnlyList<string> Comments);

    public sealed record OutSync(LegacyTree Tree, string RemotePath, IReadOnlyList<OutNode> Nodes, IReadOnlyList<string>? Excludes,
        IReadOnlyList<string> RemotePathComments, IReadOnlyList<string> Comments)
    {
        public string NodesKey => string.Join("\n", Nodes.Select(n => n.Node + "\t" + string.Join("\t", n.Extra)));
    }

    /// <summary>One tree's nodes as inosync nodes, grouped by the path each old destination had.</summary>
    public static IEnumerable<OutSync> SplitByRemotePath(LegacyTree tree, IReadOnlyList<PyString> nodes, bool joinsRemotePath,
        bool copiesContents, IReadOnlyList<string>? excludes)
    {
        string wpath = tree.WatchPath.Value;
        string? directoryName = copiesContents ? null : CopiedDirectoryName(wpath);
        var groups = new List<(string Path, List<OutNode> Nodes, List<string> Comments)>();
        foreach (PyString written in nodes)
        {
            string node = written.Value;
            IReadOnlyList<string> extra = [];
            var nodeComments = new List<string>();
            if (TryParseSshUrl(node, out string? sshNode, out string? port))
            {
                extra = port is null ? [] : ["-e", $"ssh -p {port}"];
                nodeComments.Add($"{TomlText.Quote(node)}: the ssh:// form of the tarabanton fork, written " +
                    $"{TomlText.Quote(sshNode)}{(port is null ? "" : $" with its port in the node's extra (-e \"ssh -p {port}\")")}");
                node = sshNode;
            }

            string destination = joinsRemotePath ? node + tree.RemotePath!.Value : node;
            var (inosyncNode, path) = RsyncDestination.Split(destination);
            if (inosyncNode != node && !(!joinsRemotePath && written.IsBuiltFrom(ConfigMigration.RemotePath)))
            {
                nodeComments.Add($"{TomlText.Quote(written.Value)} is node {TomlText.Quote(inosyncNode)} + path " +
                    $"{TomlText.Quote(inosyncNode.Length <= node.Length ? node[inosyncNode.Length..] : destination[inosyncNode.Length..])}: the path is in rpath now, since inosync joins node + rpath");
            }

            var pathComments = new List<string>();
            if (directoryName is not null)
            {
                path = path.Length == 0 ? directoryName : path.EndsWith('/') ? path + directoryName : path + "/" + directoryName;
                pathComments.Add($"wpath {TomlText.Quote(wpath)} has no trailing slash, so the old rsync copied the " +
                    $"directory itself into the destination: rpath ends in {TomlText.Quote(directoryName)} to keep the " +
                    "files where they were (inosync copies the contents of wpath)");
            }

            if (path.Length == 0 && RsyncDestination.IsSsh(inosyncNode))
            {
                path = ".";
                pathComments.Add($"rpath \".\": {TomlText.Quote(destination)} had no path (the login's home directory), " +
                    "and inosync needs one");
            }

            if (inosyncNode.Length == 0 && !path.StartsWith('/'))
            {
                pathComments.Add("rpath is relative: for the local node the Python inosync resolved it against the " +
                    "directory it was started in, inosync resolves it against the directory of this file");
            }

            int group = groups.FindIndex(g => g.Path == path);
            if (group < 0)
            {
                groups.Add((path, [], pathComments));
                group = groups.Count - 1;
            }

            groups[group].Nodes.Add(new OutNode(inosyncNode, extra, nodeComments));
            foreach (string comment in pathComments)
            {
                AddOnce(groups[group].Comments, comment);
            }
        }

        foreach (var (path, groupNodes, comments) in groups)
        {
            var syncComments = new List<string>();
            if (tree.Comment.Length > 0)
            {
                syncComments.Add(tree.Comment);
            }

            if (groups.Count > 1)
            {
                syncComments.Add($"the old nodes of {TomlText.Quote(wpath)} had different remote paths: one [[sync]] per path");
            }

            yield return new OutSync(tree, path, groupNodes, excludes, comments, syncComments);
        }
    }

    /// <summary>The name rsync gave the copy when the source had no trailing slash, or null if it copied the contents.</summary>
    private static string? CopiedDirectoryName(string wpath)
    {
        if (wpath.EndsWith('/'))
        {
            return null;
        }

        string name = wpath[(wpath.LastIndexOf('/') + 1)..];
        return name is "" or "." or ".." ? null : name;
    }

    /// <summary>"ssh://user@host:port[/…]", which one fork parsed itself (urlparse) into user@host: and ssh -p port.</summary>
    private static bool TryParseSshUrl(string node, out string sshNode, out string? port)
    {
        sshNode = node;
        port = null;
        const string Scheme = "ssh://";
        if (!node.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string authority = node[Scheme.Length..];
        int slash = authority.IndexOf('/', StringComparison.Ordinal);
        authority = slash < 0 ? authority : authority[..slash];
        int at = authority.LastIndexOf('@');
        string user = at < 0 ? "" : authority[..at].Split(':')[0] + "@";
        string hostPort = authority[(at + 1)..];
        int portColon = hostPort.StartsWith('[') ? hostPort.IndexOf("]:", StringComparison.Ordinal) + 1 : hostPort.LastIndexOf(':');
        string host = portColon > 0 ? hostPort[..portColon] : hostPort;
        if (portColon > 0 && int.TryParse(hostPort.AsSpan(portColon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            && number != 22)
        {
            port = number.ToString(CultureInfo.InvariantCulture);
        }

        sshNode = user + host + ":";
        return true;
    }

    public static void AddNodes(List<MigratedEntry> entries, List<MigratedTable> tables, IReadOnlyList<OutNode> nodes,
        IReadOnlyList<string> general, string tableName)
    {
        var comments = general.Concat(nodes.SelectMany(n => n.Comments)).Distinct(StringComparer.Ordinal).ToList();
        var plain = nodes.Where(n => n.Extra.Count == 0).Select(n => n.Node).ToList();
        if (plain.Count > 0)
        {
            entries.Add(new MigratedEntry("rnodes", MigratedValue.Of(plain), comments));
        }

        foreach (OutNode node in nodes.Where(n => n.Extra.Count > 0))
        {
            tables.Add(new MigratedTable(tableName, plain.Count > 0 ? [] : comments,
            [
                new MigratedEntry("target", MigratedValue.Of(node.Node), []),
                new MigratedEntry("extra", MigratedValue.Of(node.Extra), []),
            ]));
        }
    }

    public static IEnumerable<MigratedEntry> SyncEntries(OutSync sync, bool withName)
    {
        if (withName)
        {
            yield return new MigratedEntry("name", MigratedValue.Of($"{sync.Tree.WatchPath.Value} to {sync.RemotePath}"),
                ["more than one [[sync]] watches this wpath, so each needs a name of its own"]);
        }

        var wpathComments = new List<string>();
        if (!sync.Tree.WatchPath.Value.StartsWith('/'))
        {
            wpathComments.Add("wpath is relative: the Python inosync resolved it against the directory it was started " +
                "in, inosync resolves it against the directory of this file");
        }

        yield return new MigratedEntry("wpath", MigratedValue.Of(sync.Tree.WatchPath.Value), wpathComments);
        yield return new MigratedEntry("rpath", MigratedValue.Of(sync.RemotePath), sync.RemotePathComments);
    }

    public static void AddOnce(List<string> list, string item)
    {
        if (!list.Contains(item, StringComparer.Ordinal))
        {
            list.Add(item);
        }
    }
}
