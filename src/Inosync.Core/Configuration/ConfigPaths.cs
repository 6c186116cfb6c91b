namespace Inosync.Configuration;

/// <summary>Local paths in the file: resolving against the file's directory, and comparing trees.</summary>
internal static class ConfigPaths
{
    /// <summary>Linux gives up after 40 links (ELOOP); so do we, then compare the paths as written.</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// Makes <paramref name="path"/> absolute (relative → against <paramref name="baseDirectory"/>), removes "." and ".."
    /// and doubled slashes, and drops the trailing slash (except for "/"). Returns why it cannot be a local path, or null.
    /// </summary>
    public static string? TryResolve(string path, string baseDirectory, out string fullPath)
    {
        fullPath = "";
        if (path.Length == 0)
        {
            return "is empty";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character";
        }

        // A shell would expand "~"; we do not, and silently using a directory named "~" would surprise.
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            return "starts with '~', which inosync does not expand: write the path in full";
        }

        fullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, baseDirectory));
        return null;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies below it (both normalised).</summary>
    public static bool IsSameOrInside(string path, string directory) =>
        directory == "/" ||
        path == directory ||
        (path.StartsWith(directory, StringComparison.Ordinal) && path[directory.Length] == '/');

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link in its existing part resolved (like realpath(3), but a
    /// missing tail is kept as written). On a loop or an unreadable directory the rest is kept as written.
    /// </summary>
    public static string ResolveLinks(string fullPath)
    {
        int linksLeft = MaxLinks;
        return ResolveLinks(fullPath, ref linksLeft);
    }

    private static string ResolveLinks(string fullPath, ref int linksLeft)
    {
        string[] parts = fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string current = "/";
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Join(current, parts[i]);
            try
            {
                string? linkTarget = new FileInfo(next).LinkTarget;
                if (linkTarget is not null)
                {
                    if (--linksLeft < 0)
                    {
                        return fullPath;
                    }

                    // The link's own target may run through further links: resolve it the same way.
                    next = ResolveLinks(Path.GetFullPath(linkTarget, current), ref linksLeft);
                }
                else if (!Path.Exists(next))
                {
                    return Path.Join([next, .. parts[(i + 1)..]]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Path.Join([next, .. parts[(i + 1)..]]);
            }

            current = next;
        }

        return current;
    }
}
