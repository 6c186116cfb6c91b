namespace Inosync.Configuration;

/// <summary>One node a sync mirrors to.</summary>
/// <param name="Node">The node as written in the config ("user@host:", "host::module", "rsync://host/module", "").</param>
/// <param name="Kind">How rsync reaches it.</param>
/// <param name="Target">The node joined with rpath: rsync's destination, without a trailing slash
/// (for local nodes an absolute path).</param>
/// <param name="ExtraArgs">Extra raw rsync arguments: the sync's <c>extra</c>, then the node's own.</param>
/// <param name="SpeedLimitKBps">rspeed: --bwlimit in KB/s, 0 for none.</param>
/// <param name="PasswordFile">For daemon nodes: passed as --password-file, never read by inosync. For ftp nodes: read
/// before each batch and given to lftp on its standard input.</param>
/// <param name="Moves">How renames within the tree reach the node.</param>
/// <param name="Location">Where this node was defined ("file:line:column"), for messages.</param>
public sealed record NodeConfig(
    string Node,
    NodeKind Kind,
    string Target,
    IReadOnlyList<string> ExtraArgs,
    int SpeedLimitKBps,
    string? PasswordFile,
    MoveStrategy Moves,
    string Location)
{
    /// <summary>For <see cref="NodeKind.FileTransfer"/> nodes: the protocol, login, server and rpath; null otherwise.</summary>
    public FileTransferEndpoint? Endpoint { get; init; }

    /// <summary>For ftp:// nodes: whether TLS is used.</summary>
    public FtpTls Tls { get; init; }

    /// <summary>For ftp:// and ftps:// nodes: the CA certificates the server's certificate is checked against instead of
    /// the system's (the <c>tls_ca_file</c> key); null for the system's.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>For sftp:// nodes: the ssh command line lftp connects with (the <c>ssh</c> key); null for lftp's default.</summary>
    public string? RemoteShell { get; init; }

    /// <summary>A short name for logs: the target.</summary>
    public override string ToString() => Target;
}
