using Inosync.Configuration;

namespace Inosync.Renaming;

/// <summary>
/// Where an ssh node's directory is: the login (user may be null: ssh's default), the host, and the directory,
/// either absolute or relative to the remote home (rsync's meaning of "host:dir", "host:" and "host:~/dir").
/// </summary>
internal sealed record SshDestination(string? User, string Host, string Directory, bool RelativeToHome)
{
    /// <summary>Parses a node's target; null (with a reason) when it is not something we can address safely.</summary>
    public static SshDestination? Parse(NodeConfig node, out string? problem)
    {
        problem = null;

        // Target is the node ("user@host:") joined with rpath; prefer splitting on the node we know.
        string login;
        string directory;
        if (node.Node.EndsWith(':') && node.Target.StartsWith(node.Node, StringComparison.Ordinal))
        {
            login = node.Node[..^1];
            directory = node.Target[node.Node.Length..];
        }
        else
        {
            int colon = ColonAfterHost(node.Target);
            if (colon < 0)
            {
                problem = "no \"host:\" in the target";
                return null;
            }

            login = node.Target[..colon];
            directory = node.Target[(colon + 1)..];
        }

        int at = login.LastIndexOf('@');
        string? user = at < 0 ? null : login[..at];
        string host = at < 0 ? login : login[(at + 1)..];
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1]; // [::1] → ::1, as rsync passes it to ssh
        }

        // ssh would read a leading '-' as an option.
        if (host.Length == 0 || host[0] == '-' || user is { Length: 0 } || user?[0] == '-')
        {
            problem = "the user or host is empty or starts with '-'";
            return null;
        }

        if (directory.StartsWith('/'))
        {
            return new SshDestination(user, host, directory.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/", false);
        }

        // "~" and "~/dir" are the home directory (rsync leaves a leading ~ to the remote shell); "~other/dir" is
        // another user's home, which we do not resolve.
        if (directory == "~" || directory.StartsWith("~/", StringComparison.Ordinal))
        {
            directory = directory[1..].TrimStart('/');
        }
        else if (directory.StartsWith('~'))
        {
            problem = "a \"~user\" directory";
            return null;
        }

        return new SshDestination(user, host, directory.TrimEnd('/'), true);
    }

    // "host:dir", "user@host:dir", "[::1]:dir": the first ':' after an optional bracketed host.
    private static int ColonAfterHost(string target)
    {
        int at = target.IndexOf('@', StringComparison.Ordinal);
        int hostStart = at + 1;
        if (hostStart < target.Length && target[hostStart] == '[')
        {
            int close = target.IndexOf(']', hostStart);
            return close < 0 ? -1 : target.IndexOf(':', close);
        }

        return target.IndexOf(':', StringComparison.Ordinal);
    }
}
