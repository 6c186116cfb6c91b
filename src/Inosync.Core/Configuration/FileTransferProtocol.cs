namespace Inosync.Configuration;

/// <summary>The protocol of a node that has no rsync: what lftp speaks to it.</summary>
public enum FileTransferProtocol
{
    /// <summary>"sftp://": SFTP over ssh.</summary>
    Sftp,

    /// <summary>"ftp://": FTP, with explicit TLS (AUTH TLS) as the node's <see cref="FtpTls"/> says.</summary>
    Ftp,

    /// <summary>"ftps://": FTP over implicit TLS (the whole connection is TLS from the start).</summary>
    Ftps,
}
