namespace Inosync.Configuration;

public enum NodeKind
{
    /// <summary>"" — a local directory.</summary>
    Local,

    /// <summary>"user@host:" or "host:" — rsync over ssh (or whatever <c>-e</c> in extra says).</summary>
    Ssh,

    /// <summary>"host::module" or "rsync://[user@]host[:port]/module" — an rsync daemon.</summary>
    RsyncDaemon,

    /// <summary>"sftp://…", "ftp://…" or "ftps://…" — a server without rsync, reached with lftp (<see cref="FileTransferEndpoint"/>).</summary>
    FileTransfer,
}
