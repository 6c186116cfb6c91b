namespace Inosync.Migration;

/// <summary>
/// Splits an rsync destination as rsync reads it into the node (what sync.toml's <c>rnodes</c> holds) and the path
/// on it (what <c>rpath</c> holds): <c>"user@host:/var/www"</c> → <c>"user@host:"</c> + <c>"/var/www"</c>.
/// </summary>
/// <remarks>
/// rsync's rule: a ':' before the first '/' makes it remote (brackets protect an IPv6 address), "::" or
/// "rsync://" an rsync daemon whose first path segment is the module; anything else is a local path.
/// </remarks>
internal static class RsyncDestination
{
    private const string UrlScheme = "rsync://";

    public static (string Node, string Path) Split(string destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.StartsWith(UrlScheme, StringComparison.OrdinalIgnoreCase))
        {
            int hostEnd = destination.IndexOf('/', UrlScheme.Length);
            int moduleEnd = hostEnd < 0 ? -1 : destination.IndexOf('/', hostEnd + 1);
            return moduleEnd < 0 ? (destination, "") : (destination[..moduleEnd], destination[moduleEnd..]);
        }

        for (int i = 0; i < destination.Length; i++)
        {
            switch (destination[i])
            {
                case '/':
                    return ("", destination);
                case '[':
                    int close = destination.IndexOf(']', i);
                    if (close < 0)
                    {
                        return ("", destination);
                    }

                    i = close;
                    break;
                case ':' when i + 1 < destination.Length && destination[i + 1] == ':':
                    int slash = destination.IndexOf('/', i + 2);
                    return slash < 0 ? (destination, "") : (destination[..slash], destination[slash..]);
                case ':':
                    return (destination[..(i + 1)], destination[(i + 1)..]);
            }
        }

        return ("", destination);
    }

    /// <summary>The node kind, for what an empty path means on it.</summary>
    public static bool IsSsh(string node) =>
        node.EndsWith(':') && !node.EndsWith("::", StringComparison.Ordinal);
}
