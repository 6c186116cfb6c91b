using Inosync.Configuration;

namespace Inosync.Migration;

/// <summary>
/// Maps what an old config assigned (<see cref="LegacyConfig"/>) to sync.toml's keys, with a comment wherever the
/// meaning had to change or a setting could not be carried over.
/// </summary>
/// <remarks>
/// Implementation notes — three Python dialects, told apart by what the file assigns:
/// <list type="bullet">
/// <item>inosync itself (hollow/inosync 0.1–0.2.3): <c>wpath</c>, and each <c>rnodes</c> entry is rsync's whole
/// destination; <c>rpath</c> is at most a helper the README concatenates (<c>"a.mirror.com:" + rpath</c>), never
/// read by the daemon. rsync got <c>wpath</c> as written.</item>
/// <item>the single-tree fork (setop/inosync): <c>wpath</c> plus an <c>rpath</c> the daemon reads, nodes such as
/// <c>"user@host:"</c>, destination node + rpath; the source always got a trailing slash.</item>
/// <item>the several-trees forks (0.2.3 forks): <c>wpaths</c>/<c>rpaths</c> pairs, destination node + rpaths[i],
/// <c>rexcludes</c> either one list or one list per wpath; rsync got each wpath as written.</item>
/// </list>
/// A file with <c>wpath</c>, <c>rpath</c> and nodes that do not use rpath is taken as the fork's (the daemon joined
/// them); with no <c>rpath</c>, or nodes built from it, as inosync's. Either way each old destination is then split
/// the way rsync reads it into node and path (<see cref="RsyncDestination"/>), because inosync joins node + rpath
/// and rejects nodes that carry a path. Nodes whose paths differ become one [[sync]] per path.
/// A source without a trailing slash made rsync copy the directory itself (wpath "/var/www" to "h:/srv/" gave
/// h:/srv/www); inosync always copies the contents, so that rpath gains the directory's name.
/// </remarks>
internal sealed class ConfigMigration
{
    private const string WatchPath = "wpath";
    private const string WatchPaths = "wpaths";
    internal const string RemotePath = "rpath";
    private const string RemotePaths = "rpaths";
    private const string Nodes = "rnodes";

    // rexcludes as documented; excludes as the code of inosync 0.2.1 read it.
    private static readonly string[] s_excludeNames = ["rexcludes", "excludes"];

    private readonly LegacyConfig _legacy;
    private readonly string _source;

    // The names whose meaning the output already accounts for; the rest get a note.
    private readonly HashSet<string> _accounted = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];

    private ConfigMigration(LegacyConfig legacy)
    {
        _legacy = legacy;
        _source = legacy.SourceName;
    }

    public static MigratedConfig Migrate(LegacyConfig legacy)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        return new ConfigMigration(legacy).Run();
    }

    private MigratedConfig Run()
    {
        IReadOnlyList<LegacyTree> trees = ReadTrees(out bool severalTrees);
        IReadOnlyList<PyString> nodes = ReadNodes();
        var (sharedExcludes, treeExcludes, excludeComments) = ReadExcludes(trees.Count);

        // The dialect (see the remarks): does the daemon join node + rpath, and does the source get a trailing slash?
        bool nodesBuiltFromRpath = nodes.Any(n => n.IsBuiltFrom(RemotePath));
        bool joinsRemotePath = severalTrees || (trees[0].RemotePath is not null && !nodesBuiltFromRpath);
        bool copiesContents = !severalTrees && joinsRemotePath;

        var nodeComments = new List<string>();
        if (!joinsRemotePath && nodesBuiltFromRpath)
        {
            nodeComments.Add("rnodes: the old entries were node + rpath, each rsync's whole destination; inosync joins " +
                "every node with rpath itself, so only the node part is kept");
        }

        var syncs = new List<NodeMigration.OutSync>();
        for (int t = 0; t < trees.Count; t++)
        {
            syncs.AddRange(NodeMigration.SplitByRemotePath(trees[t], nodes, joinsRemotePath, copiesContents, treeExcludes?[t]));
        }

        var top = new List<MigratedEntry>();
        var tables = new List<MigratedTable>();
        bool nodesShared = syncs.All(s => s.NodesKey == syncs[0].NodesKey);
        if (syncs.Count == 1)
        {
            NodeMigration.OutSync only = syncs[0];
            top.AddRange(NodeMigration.SyncEntries(only, withName: false));
            NodeMigration.AddNodes(top, tables, only.Nodes, nodeComments, "node");
            AddExcludes(top, only.Excludes ?? sharedExcludes, excludeComments);
        }
        else
        {
            if (nodesShared)
            {
                NodeMigration.AddNodes(top, tables, syncs[0].Nodes, nodeComments, "node");
            }

            AddExcludes(top, sharedExcludes, excludeComments);
        }

        AddSettings(top);
        if (syncs.Count > 1)
        {
            var names = syncs.GroupBy(s => s.Tree.WatchPath.Value, StringComparer.Ordinal)
                .Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
            foreach (NodeMigration.OutSync sync in syncs)
            {
                var entries = NodeMigration.SyncEntries(sync, names.Contains(sync.Tree.WatchPath.Value)).ToList();
                var nodeTables = new List<MigratedTable>();
                if (!nodesShared)
                {
                    NodeMigration.AddNodes(entries, nodeTables, sync.Nodes, nodeComments, "sync.node");
                }

                if (sync.Excludes is not null)
                {
                    AddExcludes(entries, sync.Excludes, []);
                }

                tables.Add(new MigratedTable("sync", sync.Comments, entries));
                tables.AddRange(nodeTables);
            }
        }

        AddNotes();
        return new MigratedConfig(_source, top, _notes, tables);
    }

    // ---- watched trees -------------------------------------------------------------------------------------------

    private IReadOnlyList<LegacyTree> ReadTrees(out bool severalTrees)
    {
        LegacySetting? wpath = Setting(WatchPath);
        LegacySetting? wpaths = Setting(WatchPaths);
        severalTrees = wpaths is not null;
        if (wpath is not null && wpaths is not null)
        {
            throw ConversionErrors.Value(_source, wpaths.Position,
                "both wpath and wpaths are assigned, and the Python inosync read only one of them (wpath: inosync " +
                "itself; wpaths: the forks that sync several trees): delete the one your version ignored");
        }

        if (wpath is not null)
        {
            if (Setting(RemotePaths) is { } rpaths)
            {
                throw ConversionErrors.Value(_source, rpaths.Position,
                    "rpaths goes with wpaths, but this file assigns wpath: use rpath, or wpaths with rpaths");
            }

            LegacySetting? rpath = Setting(RemotePath);
            return [new LegacyTree(String(wpath), rpath is null ? null : String(rpath), "")];
        }

        if (wpaths is null)
        {
            throw ConversionErrors.Missing(_source, "neither wpath nor wpaths is assigned: there is no directory to watch");
        }

        var watched = Strings(wpaths);
        if (watched.Count == 0)
        {
            throw ConversionErrors.Value(_source, wpaths.Value.Position, "wpaths is empty: there is no directory to watch");
        }

        LegacySetting remoteSetting = Setting(RemotePaths) ?? throw ConversionErrors.Value(_source, wpaths.Position,
            "wpaths is assigned but rpaths is not: the daemon synced each wpaths entry to the rpaths entry at the same place");
        var remote = Strings(remoteSetting);
        if (remote.Count != watched.Count)
        {
            throw ConversionErrors.Value(_source, remoteSetting.Value.Position,
                $"rpaths has {remote.Count} entries and wpaths {watched.Count}: they pair up one to one");
        }

        if (Setting(RemotePath) is { IsReferenced: false } unused)
        {
            _notes.Add($"rpath = {PyValueText.Render(unused.Value)}: not carried over — with wpaths the remote paths come from rpaths");
        }

        return [.. watched.Select((w, i) => new LegacyTree(w, remote[i], $"wpaths[{i}] and rpaths[{i}]"))];
    }

    // ---- nodes (the mapping itself is NodeMigration's) ----------------------------------------------------------

    private List<PyString> ReadNodes()
    {
        LegacySetting setting = Setting(Nodes)
            ?? throw ConversionErrors.Missing(_source, "rnodes is not assigned: there is no node to sync to");
        var nodes = Strings(setting);
        return nodes.Count > 0
            ? nodes
            : throw ConversionErrors.Value(_source, setting.Value.Position, "rnodes is empty: there is no node to sync to");
    }

    // ---- excludes ------------------------------------------------------------------------------------------------

    private (IReadOnlyList<string>? Shared, IReadOnlyList<IReadOnlyList<string>>? PerTree, IReadOnlyList<string> Comments)
        ReadExcludes(int treeCount)
    {
        var shared = new List<string>();
        List<List<string>>? perTree = null;
        var comments = new List<string>();
        bool any = false;
        foreach (string name in s_excludeNames)
        {
            if (Setting(name) is not { } setting)
            {
                continue;
            }

            any = true;
            if (name == "excludes")
            {
                comments.Add("excludes: the name the code of inosync 0.2.1 read (its README said rexcludes); carried into rexcludes");
            }

            if (setting.Value is PyList { Items.Count: > 0 } list && list.Items.All(i => i is PyList))
            {
                // One list per wpath (a fork's per-tree excludes).
                if (list.Items.Count != treeCount)
                {
                    throw ConversionErrors.Value(_source, list.Position,
                        $"{name} has {list.Items.Count} lists of patterns and there are {treeCount} watched paths: " +
                        "give one list per wpath, or one list of patterns for all");
                }

                perTree ??= [.. Enumerable.Range(0, treeCount).Select(_ => new List<string>())];
                for (int t = 0; t < treeCount; t++)
                {
                    perTree[t].AddRange(StringItems((PyList)list.Items[t], $"{name}[{t}]").Select(s => s.Value));
                }
            }
            else
            {
                shared.AddRange(Strings(setting).Select(s => s.Value));
            }
        }

        if (perTree is null)
        {
            return (any ? shared : null, null, comments);
        }

        // A shared list and per-tree lists together: every tree gets both.
        return (null, [.. perTree.Select(own => (IReadOnlyList<string>)[.. shared, .. own])], comments);
    }

    private static void AddExcludes(List<MigratedEntry> entries, IReadOnlyList<string>? excludes, IReadOnlyList<string> comments)
    {
        if (excludes is not null)
        {
            entries.Add(new MigratedEntry("rexcludes", MigratedValue.Of(excludes), comments));
        }
    }

    // ---- the other settings --------------------------------------------------------------------------------------

    private void AddSettings(List<MigratedEntry> top)
    {
        var extra = new List<string>();
        var extraComments = new List<string>();
        if (Setting("extra") is { } extraSetting)
        {
            switch (extraSetting.Value)
            {
                case PyString text:
                    ExtraArguments.FromShellString(text, _source, extra, extraComments);
                    break;
                case PyList:
                    extra.AddRange(Strings(extraSetting).Select(s => s.Value));
                    break;
                case PyNone:
                    break;
                default:
                    throw WrongType(extraSetting, "a string of rsync options or a list of them");
            }
        }

        if (Setting("logfile") is { } logfile && logfile.Value is not PyNone)
        {
            string path = String(logfile).Value;
            extra.Add("--log-file=" + path);
            extraComments.Add($"logfile = {TomlText.Quote(path)}: the Python inosync gave it to rsync as --log-file, so it " +
                "is in extra (log_file would be inosync's own log)");
        }

        if (extra.Count > 0)
        {
            top.Add(new MigratedEntry("extra", MigratedValue.Of(extra), extraComments));
        }

        if (Setting("rspeed") is { } rspeed)
        {
            top.Add(SpeedLimit(rspeed));
        }

        if (Setting("rsync") is { } rsync)
        {
            string program = String(rsync).Value;
            top.Add(new MigratedEntry("rsync", MigratedValue.Of(program), program.Any(char.IsWhiteSpace)
                ? [$"rsync: the old value was run by a shell; inosync runs {TomlText.Quote(program)} as one program path, without arguments"]
                : []));
        }

        if (Setting("edelay") is { } edelay)
        {
            top.Add(edelay.Value switch
            {
                PyInteger i => new MigratedEntry("edelay", MigratedValue.Of(i.Value), []),
                PyFloat f => new MigratedEntry("edelay", MigratedValue.Of(f.Value), []),
                _ => throw WrongType(edelay, "a number of seconds"),
            });
        }
        else
        {
            _notes.Add("edelay is not set: the Python inosync waited 10 seconds by default, inosync starts at once; " +
                "write edelay = 10 for the old pace");
        }

        if (Setting("pidfile") is { } pidfile && pidfile.Value is not PyNone)
        {
            top.Add(new MigratedEntry("pid_file", MigratedValue.Of(String(pidfile).Value), []));
        }
    }

    private MigratedEntry SpeedLimit(LegacySetting rspeed)
    {
        long value = rspeed.Value switch
        {
            PyInteger i => i.Value,
            PyFloat f when f.Value == Math.Floor(f.Value) && Math.Abs(f.Value) < int.MaxValue => (long)f.Value,
            PyFloat f => throw ConversionErrors.Value(_source, f.Position,
                $"rspeed must be a whole number of KB/s, not {TomlText.Float(f.Value)}"),
            _ => throw WrongType(rspeed, "a number of KB/s"),
        };
        if (value > int.MaxValue)
        {
            throw ConversionErrors.Value(_source, rspeed.Value.Position, $"rspeed {value} KB/s is too large (at most {int.MaxValue})");
        }

        return value < 0
            ? new MigratedEntry("rspeed", MigratedValue.Of(0L), [$"rspeed was {value}: the Python inosync read a negative limit as no limit"])
            : new MigratedEntry("rspeed", MigratedValue.Of(value), []);
    }

    /// <summary>A note for every assigned name the output does not account for.</summary>
    private void AddNotes()
    {
        foreach (LegacySetting setting in _legacy.Settings)
        {
            if (_accounted.Contains(setting.Name))
            {
                continue;
            }

            string value = PyValueText.Render(setting.Value);
            string? why = setting.Name switch
            {
                "emask" => "inosync chooses the inotify events itself",
                "sleep_time" => "the tarabanton fork's batching period; inosync starts a batch once a change arrives " +
                    "(after edelay)",
                "inotify_excludes" => "path parts the tarabanton fork did not watch; in inosync, rsync patterns in " +
                    "rexcludes are neither watched nor synced",
                _ when setting.IsReferenced => null,
                _ => "not a setting of the Python inosync",
            };
            if (why is not null)
            {
                _notes.Add($"{setting.Name} = {value}: not carried over — {why}");
            }
        }
    }

    // ---- typed access --------------------------------------------------------------------------------------------

    /// <summary>The setting, if assigned; either way its name counts as accounted for by the caller.</summary>
    private LegacySetting? Setting(string name)
    {
        _accounted.Add(name);
        return _legacy[name];
    }

    private PyString String(LegacySetting setting) =>
        setting.Value as PyString ?? throw WrongType(setting, "a string");

    private List<PyString> Strings(LegacySetting setting) =>
        setting.Value is PyList list ? StringItems(list, setting.Name) : throw WrongType(setting, "a list of strings");

    private List<PyString> StringItems(PyList list, string name) =>
    [
        .. list.Items.Select((item, i) => item as PyString ?? throw ConversionErrors.Value(_source, item.Position,
            $"{name}[{i}] must be a string, not {item.Description}")),
    ];

    private ConfigException WrongType(LegacySetting setting, string expected) =>
        ConversionErrors.Value(_source, setting.Value.Position, $"{setting.Name} must be {expected}, not {setting.Value.Description}");
}
