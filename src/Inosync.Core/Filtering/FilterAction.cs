namespace Inosync.Filtering;

/// <summary>What a filter rule does to the paths it matches.</summary>
public enum FilterAction
{
    /// <summary>"+": the path is watched and synced (unless an ancestor directory is excluded).</summary>
    Include,

    /// <summary>"-": the path is neither watched nor synced, and rsync protects it from deletion on the node.</summary>
    Exclude,
}
