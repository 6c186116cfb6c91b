namespace Inosync.Watching.Inotify;

/// <summary>One watched directory: a node of the <see cref="WatchTree"/>, which is also the path→wd map's structure.</summary>
internal sealed class WatchedDirectory(int wd, string path, string name, WatchedDirectory? parent)
{
    public int Wd { get; } = wd;

    public string Path { get; set; } = path;

    public string Name { get; set; } = name;

    public WatchedDirectory? Parent { get; set; } = parent;

    public Dictionary<string, WatchedDirectory>? Children { get; set; }

    /// <summary>Children that are directories we could not watch (watch limit, permissions).</summary>
    public HashSet<string>? Unwatched { get; set; }

    /// <summary>Children whose watch failed because the path we used was stale (see "Stale paths" in
    /// <see cref="InotifyWatcher"/>): retried when this directory is re-pathed.</summary>
    public HashSet<string>? Missed { get; set; }

    /// <summary>Names of child directories left unwatched because they are excluded: exclusions may depend on the
    /// path, so a rename of an ancestor re-evaluates them.</summary>
    public HashSet<string>? ExcludedChildren { get; set; }

    /// <summary>The re-scan that last reached this directory (mark and sweep after an overflow).</summary>
    public int Generation { get; set; }

    /// <summary>Names a child directory left unwatched because it is excluded.</summary>
    public void MarkExcluded(string name) => (ExcludedChildren ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    /// <summary>Takes this directory out of its parent's children (if it is still the one there).</summary>
    public void DetachFromParent()
    {
        if (Parent?.Children is { } siblings && siblings.TryGetValue(Name, out WatchedDirectory? current) && current == this)
        {
            siblings.Remove(Name);
        }
    }

    /// <summary>This directory and every watched one below it, parents before children.</summary>
    public List<WatchedDirectory> Subtree()
    {
        var result = new List<WatchedDirectory> { this };
        for (int i = 0; i < result.Count; i++)
        {
            if (result[i].Children is { } children)
            {
                result.AddRange(children.Values);
            }
        }

        return result;
    }
}
