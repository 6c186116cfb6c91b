using Inosync.Filtering;

namespace Inosync.Configuration;

/// <summary>
/// The checks that need the disk: a sync's wpath must be a directory (created first when create_dirs is set), and a
/// local node must not lie inside the watched tree, nor contain it, once symbolic links are resolved.
/// </summary>
internal static class StartupDirectories
{
    /// <summary>Creates what create_dirs asks for, then checks wpath and the local targets.</summary>
    public static void Prepare(PendingSync sync)
    {
        SyncConfig config = sync.Config;
        IEnumerable<NodeConfig> localNodes = config.Nodes.Where(n => n.Kind == NodeKind.Local);
        if (sync.CreateDirs)
        {
            Create(config.WatchPath, "wpath", sync.WatchPathLocation);
            foreach (NodeConfig node in localNodes)
            {
                Create(node.Target, "local node target", node.Location);
            }
        }

        if (!Directory.Exists(config.WatchPath))
        {
            string what = Path.Exists(config.WatchPath) ? "is not a directory" : "does not exist";
            throw new ConfigException($"{sync.WatchPathLocation}: wpath '{config.WatchPath}' {what}");
        }

        foreach (NodeConfig node in localNodes)
        {
            CheckApart(config.WatchPath, node.Target, node.Location, resolveLinks: true);
        }

        if (OperatingSystem.IsLinux())
        {
            CheckNoPseudoFileSystems(config, sync.WatchPathLocation);
        }

        // rsync reads the directory that was watched at start; a re-pointed link would leave the nodes on the old one.
        if (new DirectoryInfo(config.WatchPath).LinkTarget is { } linkTarget)
        {
            throw new ConfigException(
                $"{sync.WatchPathLocation}: wpath '{config.WatchPath}' is a symbolic link (to '{linkTarget}'): inosync keeps syncing the directory it " +
                $"found at start, so re-pointing the link (ln -sfn) would not be followed; give the directory itself ('{ConfigPaths.ResolveLinks(config.WatchPath)}')");
        }
    }

    /// <summary>
    /// Throws when the local <paramref name="target"/> is <paramref name="watchPath"/>, lies inside it (rsync would
    /// copy the tree into itself, and every copy is a new change), or contains it (rsync --delete on the target
    /// would delete the watched tree). Both paths are absolute and normalised. <paramref name="whose"/> names the
    /// sync the wpath belongs to when it is not the node's own.
    /// </summary>
    public static void CheckApart(string watchPath, string target, string location, bool resolveLinks, string whose = "")
    {
        string watch = resolveLinks ? ConfigPaths.ResolveLinks(watchPath) : watchPath;
        string node = resolveLinks ? ConfigPaths.ResolveLinks(target) : target;
        string links = watch != watchPath || node != target
            ? $" (after resolving symbolic links: '{node}' and '{watch}')"
            : "";
        if (ConfigPaths.IsSameOrInside(node, watch))
        {
            string where = node == watch ? "is" : "lies inside";
            string harm = whose.Length == 0 ? "it would sync into itself" : "it would overwrite that watched tree";
            throw new ConfigException($"{location}: local node target '{target}' {where} wpath '{watchPath}'{whose}{links}: {harm}");
        }

        if (ConfigPaths.IsSameOrInside(watch, node))
        {
            throw new ConfigException(
                $"{location}: wpath '{watchPath}'{whose} lies inside local node target '{target}'{links}: rsync --delete would delete the watched tree");
        }
    }

    /// <summary>
    /// wpath may neither lie on a pseudo file system (/proc, /sys …) nor contain one that the filter rules do not exclude:
    /// wpath = "/" would otherwise try to mirror /proc and /sys, whose files change by themselves and never settle.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static void CheckNoPseudoFileSystems(SyncConfig config, string location)
    {
        string watch = ConfigPaths.ResolveLinks(config.WatchPath);
        const string Why = "a pseudo file system: its files are not data, change by themselves and are not seen by inotify";
        if (PseudoFileSystems.Holding(watch) is { } on)
        {
            throw new ConfigException($"{location}: wpath '{config.WatchPath}' lies on {on.MountPoint} ({on.Type}), {Why}; watch a real directory");
        }

        foreach ((string mountPoint, string type) in PseudoFileSystems.Below(watch))
        {
            string relative = mountPoint[(watch == "/" ? 1 : watch.Length + 1)..];
            if (!config.Filter.IsExcluded(relative, isDirectory: true))
            {
                throw new ConfigException(
                    $"{location}: wpath '{config.WatchPath}' contains {mountPoint} ({type}), {Why}; watch a real directory, or exclude it (rexcludes = [\"/{relative}/\"])");
            }
        }
    }

    private static void Create(string path, string what, string location)
    {
        if (Path.Exists(path))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{location}: cannot create {what} '{path}' (create_dirs): {e.Message}", ExitCode.CantCreate, e);
        }
    }
}
