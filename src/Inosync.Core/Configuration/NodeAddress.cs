using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Inosync.Configuration;

/// <summary>
/// A node string in rsync syntax, checked: "" (local), "[user@]host:" (ssh), "[user@]host::module" or
/// "rsync://[user@]host[:port]/module" (rsync daemon), "sftp://", "ftp://" or "ftps://[user@]host[:port]" (a server
/// without rsync, reached with lftp). The path on the node is never part of it: that is rpath,
/// joined by <see cref="Join"/>, so every node of a sync gets the same tree.
/// </summary>
internal sealed record NodeAddress(string Text, NodeKind Kind)
{
    public const string AcceptedForms =
        "accepted forms: \"\" (local directory), \"host:\" or \"user@host:\" (ssh), " +
        "\"host::module\" or \"rsync://[user@]host[:port]/module\" (rsync daemon), " +
        "\"sftp://[user@]host[:port]\", \"ftp://[user@]host[:port]\" or \"ftps://[user@]host[:port]\" (a server without rsync)";

    private const string UrlScheme = "rsync://";

    private static readonly (string Prefix, FileTransferProtocol Protocol)[] s_fileTransferSchemes =
    [
        ("sftp://", FileTransferProtocol.Sftp),
        ("ftp://", FileTransferProtocol.Ftp),
        ("ftps://", FileTransferProtocol.Ftps),
    ];

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong (without the accepted forms).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out NodeAddress? address, [NotNullWhen(false)] out string? problem)
    {
        address = null;
        problem = Check(text, out NodeKind kind);
        if (problem is null)
        {
            address = new NodeAddress(text, kind);
        }

        return problem is null;
    }

    /// <summary>
    /// The rsync destination for <paramref name="remotePath"/>, without a trailing slash unless it is a root ("host:/").
    /// Ssh nodes get rpath appended as written ("user@host:" + "/var/www"); daemon nodes get it as a path inside the
    /// module ("host::module" + "/sub" → "host::module/sub", "" or "/" → "host::module"). Local nodes are paths and
    /// are resolved by the caller.
    /// </summary>
    public string Join(string remotePath)
    {
        if (Kind == NodeKind.RsyncDaemon)
        {
            // Empty segments are dropped: "//a//b/" inside a module is "a/b".
            string inside = string.Join('/', remotePath.Split('/', StringSplitOptions.RemoveEmptyEntries));
            string module = Text.TrimEnd('/');
            return inside.Length == 0 ? module : $"{module}/{inside}";
        }

        return Text + TrimTrailingSlashes(remotePath);
    }

    /// <summary>Where a <see cref="NodeKind.FileTransfer"/> node is, with <paramref name="remotePath"/> as its rpath.</summary>
    public FileTransferEndpoint ToEndpoint(string remotePath)
    {
        if (Kind != NodeKind.FileTransfer)
        {
            throw new InvalidOperationException($"\"{Text}\" is not a file-transfer node.");
        }

        var (prefix, protocol) = SchemeOf(Text)!.Value;
        string authority = Text[prefix.Length..].TrimEnd('/');
        int at = authority.LastIndexOf('@');
        string? user = at < 0 ? null : Uri.UnescapeDataString(authority[..at]);
        string hostAndPort = authority[(at + 1)..];
        int portColon = hostAndPort.LastIndexOf(':');
        bool hasPort = portColon > 0 && hostAndPort.IndexOf(']', StringComparison.Ordinal) < portColon;
        int? port = hasPort ? int.Parse(hostAndPort.AsSpan(portColon + 1), NumberStyles.None, CultureInfo.InvariantCulture) : null;
        string host = hasPort ? hostAndPort[..portColon] : hostAndPort;
        return new FileTransferEndpoint(protocol, user, host, port, TrimTrailingSlashes(remotePath));
    }

    /// <summary>"/a/b/" → "/a/b"; "/" and "//" → "/".</summary>
    public static string TrimTrailingSlashes(string path)
    {
        string trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 && path.Length > 0 ? "/" : trimmed;
    }

    private static string? Check(string text, out NodeKind kind)
    {
        kind = NodeKind.Local;
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "it contains whitespace or a control character";
        }

        if (SchemeOf(text) is { } fileTransfer)
        {
            kind = NodeKind.FileTransfer;
            return CheckFileTransferUrl(text[fileTransfer.Prefix.Length..], fileTransfer.Prefix);
        }

        kind = NodeKind.RsyncDaemon;
        return text.StartsWith(UrlScheme, StringComparison.OrdinalIgnoreCase)
            ? CheckUrl(text[UrlScheme.Length..])
            : CheckHostForm(text, out kind);
    }

    // "[user@]host:" (ssh) or "[user@]host::module" (daemon).
    private static string? CheckHostForm(string text, out NodeKind kind)
    {
        kind = NodeKind.Ssh;
        if (!text.Contains(':', StringComparison.Ordinal))
        {
            return text.Contains('/', StringComparison.Ordinal)
                ? "it has no ':' (for a local directory write \"\" and put the directory in rpath)"
                : "it has no ':' after the host";
        }

        string? problem = CheckUserAndHost(text, out string rest);
        if (problem is not null)
        {
            return problem;
        }

        if (rest == ":")
        {
            return null;
        }

        if (!rest.StartsWith("::", StringComparison.Ordinal))
        {
            return $"it includes a path ('{rest[1..]}'): write the node as '{text[..^(rest.Length - 1)]}' and put the path in rpath";
        }

        kind = NodeKind.RsyncDaemon;
        return CheckModule(rest[2..]);
    }

    private static (string Prefix, FileTransferProtocol Protocol)? SchemeOf(string text)
    {
        foreach (var scheme in s_fileTransferSchemes)
        {
            if (text.StartsWith(scheme.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return scheme;
            }
        }

        return null;
    }

    // "[user@]host[:port]" after "sftp://", "ftp://" or "ftps://". The user is everything before the last '@' (hosting
    // logins are often mail addresses); "%40" may stand for an '@' too.
    private static string? CheckFileTransferUrl(string text, string prefix)
    {
        string authority = text.TrimEnd('/');
        int slash = authority.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            return $"it includes a path ('{authority[(slash + 1)..]}'): write the node as '{prefix}{authority[..slash]}' and put the path in rpath";
        }

        int at = authority.LastIndexOf('@');
        if (at == 0)
        {
            return "the user before '@' is empty";
        }

        if (at > 0 && authority[..at].Contains(':', StringComparison.Ordinal))
        {
            return "it includes a password (user:password@): put the password in a password_file, never in the node";
        }

        string hostAndPort = authority[(at + 1)..];
        if (hostAndPort.Length == 0)
        {
            return $"it has no host after '{prefix}'";
        }

        string? problem = CheckUserAndHost(hostAndPort, out string rest);
        if (problem is not null)
        {
            return problem;
        }

        return rest.Length == 0 ? null : CheckPort(rest[1..]);
    }

    private static string? CheckPort(string port) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is >= 1 and <= 65535
            ? null
            : $"'{port}' is not a port number (1-65535)";

    // "[user@]host[:port]/module" after "rsync://".
    private static string? CheckUrl(string text)
    {
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string authority = slash < 0 ? text : text[..slash];
        if (authority.Length == 0)
        {
            return "it has no host after 'rsync://'";
        }

        string? problem = CheckUserAndHost(authority, out string rest);
        if (problem is not null)
        {
            return problem;
        }

        if (rest.Length > 0 && CheckPort(rest[1..]) is { } badPort)
        {
            // rest is ":port".
            return badPort;
        }

        return slash < 0 ? "it has no module (rsync://host/module)" : CheckModule(text[(slash + 1)..]);
    }

    // "[user@]host" then whatever follows the host (":" and beyond), which is returned in rest.
    private static string? CheckUserAndHost(string text, out string rest)
    {
        rest = "";
        int at = text.IndexOf('@', StringComparison.Ordinal);
        int firstColon = text.IndexOf(':', StringComparison.Ordinal);
        if (at >= 0 && (firstColon < 0 || at < firstColon))
        {
            if (at == 0)
            {
                return "the user before '@' is empty";
            }

            text = text[(at + 1)..];
        }

        int hostEnd;
        if (text.StartsWith('['))
        {
            // An IPv6 address: "[fe80::1]", whose colons are not separators.
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return "the IPv6 address in '[...]' is empty or not closed";
            }

            hostEnd = close + 1;
        }
        else
        {
            hostEnd = text.IndexOf(':', StringComparison.Ordinal);
            hostEnd = hostEnd < 0 ? text.Length : hostEnd;
            if (hostEnd == 0)
            {
                return "the host is empty";
            }
        }

        string host = text[..hostEnd];
        if (host.Contains('@', StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
        {
            return $"'{host}' is not a host name";
        }

        rest = text[hostEnd..];
        return rest.Length == 0 || rest[0] == ':' ? null : $"'{rest}' follows the host '{host}'";
    }

    private static string? CheckModule(string module)
    {
        // A trailing slash after the module is common in rsync command lines and harmless.
        string name = module.TrimEnd('/');
        if (name.Length == 0)
        {
            return "the module name is empty";
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            return $"the module name '{name}' contains ':'";
        }

        return name.Contains('/', StringComparison.Ordinal)
            ? $"it includes a path inside the module ('{name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..]}'): put that path in rpath"
            : null;
    }
}
