namespace Inosync.Coalescing;

/// <summary>How a <see cref="ChangeSet"/> narrows changes.</summary>
/// <param name="MaxNamesPerDirectory">More changed names than this in one directory collapse to the whole directory.</param>
/// <param name="IsExcluded">(relative path, is directory) → true when the path is excluded; null excludes nothing.</param>
public sealed record CoalescerOptions(int MaxNamesPerDirectory = 1000, Func<string, bool, bool>? IsExcluded = null);
