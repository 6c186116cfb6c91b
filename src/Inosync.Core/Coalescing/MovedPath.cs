namespace Inosync.Coalescing;

/// <summary>An entry moved within the tree; nodes that can rename in place use these before the rsync reconciles.</summary>
public sealed record MovedPath(string From, string To, bool IsDirectory);
