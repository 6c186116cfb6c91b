using System.Globalization;

namespace Inosync.Configuration;

/// <summary>Where a file-transfer node is: the protocol, the login, the server, and rpath on it.</summary>
/// <param name="Protocol">SFTP, FTP or FTPS.</param>
/// <param name="User">The login name; null for the protocol's default (ssh: the ssh config's; FTP: anonymous).</param>
/// <param name="Host">The server: a name, an IPv4 address, or an IPv6 address in brackets.</param>
/// <param name="Port">The port; null for the protocol's default.</param>
/// <param name="RemotePath">rpath: absolute, or relative to the login directory.</param>
public sealed record FileTransferEndpoint(FileTransferProtocol Protocol, string? User, string Host, int? Port, string RemotePath)
{
    /// <summary>The scheme as written: "sftp", "ftp" or "ftps".</summary>
    public string Scheme => Protocol switch
    {
        FileTransferProtocol.Sftp => "sftp",
        FileTransferProtocol.Ftp => "ftp",
        _ => "ftps",
    };

    /// <summary>The server's URL for lftp's <c>open</c>: scheme, host and port; the user is given apart, with the password.</summary>
    public string ServerUrl => Port is { } port
        ? string.Create(CultureInfo.InvariantCulture, $"{Scheme}://{Host}:{port}")
        : $"{Scheme}://{Host}";

    /// <summary>
    /// How logs and status name the node: the URL with the user and rpath, "~/" marking a path relative to the login
    /// directory ("sftp://web@example.org/srv/www", "ftp://web@example.org/~/htdocs"). Never a password.
    /// </summary>
    public string Display
    {
        get
        {
            string user = User is null ? "" : User + "@";
            string port = Port is { } p ? string.Create(CultureInfo.InvariantCulture, $":{p}") : "";
            string path = RemotePath.StartsWith('/') ? RemotePath : "/~/" + RemotePath;
            return $"{Scheme}://{user}{Host}{port}{path}";
        }
    }
}
