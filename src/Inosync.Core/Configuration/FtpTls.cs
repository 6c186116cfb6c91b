namespace Inosync.Configuration;

/// <summary>The <c>tls</c> key of an ftp:// node: whether the control and data connections are encrypted.</summary>
public enum FtpTls
{
    /// <summary>TLS when the server offers it (AUTH TLS), plain FTP otherwise.</summary>
    Auto,

    /// <summary>TLS or nothing: a server without it is a failure, never a plain-text login.</summary>
    Require,

    /// <summary>Plain FTP: the password crosses the network in clear text.</summary>
    Off,
}
