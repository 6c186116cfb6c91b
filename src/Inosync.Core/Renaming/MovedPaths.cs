using Inosync.Coalescing;

namespace Inosync.Renaming;

/// <summary>Checks on <see cref="MovedPath"/> values before anything is renamed with them.</summary>
internal static class MovedPaths
{
    /// <summary>
    /// Both paths are relative, '/'-separated, without empty, "." or ".." segments, differ, and the destination is
    /// not inside the source (a directory cannot move into itself). Neither holds a name that is not valid UTF-8:
    /// the renamers speak UTF-8 (libc strings, the remote script), which would turn such a byte into U+FFFD and create
    /// a name the source never had — a file rsync would then never list, left on the node for good. rsync gets those
    /// names as exact bytes, so it transfers them instead.
    /// </summary>
    public static bool IsRenamable(MovedPath move) =>
        IsPlainRelative(move.From)
        && IsPlainRelative(move.To)
        && !string.Equals(move.From, move.To, StringComparison.Ordinal)
        && !move.To.StartsWith(move.From + "/", StringComparison.Ordinal);

    /// <summary>The directories above both paths, below the root ("a/b/c" → "a", "a/b"), each once, shallowest first.</summary>
    public static IReadOnlyList<string> Parents(MovedPath move)
    {
        var parents = new List<string>();
        foreach (string path in new[] { move.From, move.To })
        {
            for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                string parent = path[..slash];
                if (!parents.Contains(parent, StringComparer.Ordinal))
                {
                    parents.Add(parent);
                }
            }
        }

        return parents;
    }

    private static bool IsPlainRelative(string path) =>
        path.Length > 0
        && !path.Contains('\0', StringComparison.Ordinal)
        && !path.Any(FileNameEncoding.IsEscapedByte)
        && path.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");
}
