namespace Inosync.Testing.Servers;

/// <summary>The two ways rsync names a daemon module.</summary>
public enum RsyncDaemonNodeForm
{
    /// <summary>"user@host::module"; the port comes from <c>--port=PORT</c> in the extra arguments.</summary>
    DoubleColon,

    /// <summary>"rsync://user@host:port/module"; the port is in the URL.</summary>
    Url,
}
