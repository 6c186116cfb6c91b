namespace Inosync.Configuration;

/// <summary>
/// The files the daemon itself writes (pid_file, log_file, status_file) must each be a file of their own: never the
/// configuration, never one another, and never inside a watched tree (a log there syncs itself once a second for
/// ever). Compared once symbolic links are resolved.
/// </summary>
internal static class DaemonFiles
{
    public static void Check(
        ConfigSource source,
        string configPath,
        IReadOnlyList<(string Key, Setting<string>? Setting)> files,
        IReadOnlyList<PendingSync> syncs)
    {
        var seen = new List<(string Resolved, string What)> { (ConfigPaths.ResolveLinks(configPath), $"the configuration file '{configPath}'") };
        foreach ((string key, Setting<string>? setting) in files)
        {
            if (setting is not { } file)
            {
                continue;
            }

            string resolved = ConfigPaths.ResolveLinks(file.Value);
            string links = resolved != file.Value ? $" (after resolving symbolic links: '{resolved}')" : "";
            foreach ((string otherResolved, string other) in seen)
            {
                if (otherResolved == resolved)
                {
                    throw source.Error(file.Position, $"{key} '{file.Value}'{links} is the same file as {other}: give each its own file");
                }
            }

            foreach (PendingSync sync in syncs)
            {
                string watch = ConfigPaths.ResolveLinks(sync.Config.WatchPath);
                if (ConfigPaths.IsSameOrInside(resolved, watch))
                {
                    throw source.Error(file.Position,
                        $"{key} '{file.Value}'{links} lies inside wpath '{sync.Config.WatchPath}' of the sync at {sync.WatchPathLocation}: every write to it would be synced, for ever");
                }
            }

            seen.Add((resolved, $"{key} '{file.Value}' at {source.Locate(file.Position)}"));
        }
    }
}
