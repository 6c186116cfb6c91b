using Inosync.Filtering;

namespace Inosync.Coalescing;

/// <summary>How a <see cref="ChangeSet"/> narrows changes.</summary>
/// <param name="MaxNamesPerDirectory">More changed names than this in one directory collapse to the whole directory.</param>
/// <param name="Filter">What is excluded (with everything below an excluded directory); null excludes nothing.</param>
public sealed record CoalescerOptions(int MaxNamesPerDirectory = 1000, PathFilter? Filter = null);
