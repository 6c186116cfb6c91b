using System.Globalization;
using System.Text;
using Inosync.Configuration;

namespace Inosync.Transfer;

/// <summary>
/// One lftp command script, given on lftp's standard input: the session's settings, the login, then the batch's
/// commands. The password is only in <see cref="ToBytes"/> (what lftp reads from its stdin pipe, never its command line,
/// which /proc shows to every user); <see cref="ToString"/>, for logs and --pretend, has "***" in its place.
/// </summary>
internal sealed class LftpScript
{
    /// <summary>How long an SFTP upload may move no byte before it is given up (see <see cref="Open"/>).</summary>
    private static readonly TimeSpan s_stalledUpload = TimeSpan.FromSeconds(10);

    private readonly List<string> _lines = [];
    private string _login = "";
    private string _redactedLogin = "";
    private int _loginLine = -1;

    /// <summary>The commands after the login, as added.</summary>
    public IEnumerable<string> Commands => _lines.Skip(_loginLine + 1);

    /// <summary>
    /// A script that logs in to <paramref name="node"/>: lftp's retries cut to what the node's own retry and backoff
    /// expect, no history or transfer log written under $HOME, TLS and the ssh command as the node says.
    /// </summary>
    /// <param name="node">A <see cref="NodeKind.FileTransfer"/> node.</param>
    /// <param name="timeout">How long one network operation may stall (rsync_timeout); null: lftp's default.</param>
    /// <param name="password">The FTP password (from password_file), or null.</param>
    public static LftpScript Open(NodeConfig node, TimeSpan? timeout, string? password)
    {
        FileTransferEndpoint endpoint = node.Endpoint ?? throw new ArgumentException($"{node.Target} is not a file-transfer node", nameof(node));
        var script = new LftpScript();
        script.Line("set cmd:interactive no");
        script.Line("set cmd:save-cwd-history no");
        script.Line("set cmd:save-rl-history no");
        script.Line("set xfer:log no");
        script.Line("set xfer:clobber yes");
        // One failed connection is one failed batch: the node worker retries with its own backoff.
        script.Line("set net:max-retries 1");
        script.Line("set net:persist-retries 0");
        script.Line("set net:reconnect-interval-base 1");
        script.Line(string.Create(CultureInfo.InvariantCulture, $"set net:timeout {TimeoutSeconds(timeout)}"));
        if (node.SpeedLimitKBps > 0)
        {
            script.Line(string.Create(CultureInfo.InvariantCulture, $"set net:limit-rate {node.SpeedLimitKBps * 1024L}"));
        }

        switch (endpoint.Protocol)
        {
            case FileTransferProtocol.Sftp:
                // A host key or password prompt is answered "no": a daemon cannot type.
                script.Line("set sftp:auto-confirm no");
                // lftp 4.9.2 (Debian 12) stops an SFTP upload at the size the file had when listed and then waits for
                // ever if it grew (lavv17/lftp#647; 4.9.3 fails instead): a copy that moves nothing for this long
                // fails, and the node retries the batch with its backoff.
                script.Line(string.Create(CultureInfo.InvariantCulture, $"set xfer:timeout {(int)StalledUploadLimit(timeout).TotalSeconds}"));
                if (node.RemoteShell is { } ssh)
                {
                    script.Line("set sftp:connect-program " + LftpSyntax.Quote(ssh));
                }

                break;
            case FileTransferProtocol.Ftp:
                script.Line("set ftp:ssl-allow " + (node.Tls == FtpTls.Off ? "no" : "yes"));
                script.Line("set ftp:ssl-force " + (node.Tls == FtpTls.Require ? "yes" : "no"));
                script.TlsSettings(node);
                script.Line("set ftp:passive-mode yes");
                break;
            default:
                script.TlsSettings(node);
                script.Line("set ftp:passive-mode yes");
                break;
        }

        // "-u user," (an empty password) keeps lftp from asking for one; an ssh key does the sftp login.
        string url = LftpSyntax.Quote(endpoint.ServerUrl);
        string user = endpoint.User ?? "anonymous";
        bool login = endpoint.User is not null || password is not null;
        script._loginLine = script._lines.Count;
        script._login = login ? $"open -u {LftpSyntax.Quote(user + "," + (password ?? ""))} {url}" : $"open {url}";
        script._redactedLogin = login ? $"open -u {LftpSyntax.Quote(user + "," + (password is null ? "" : "***"))} {url}" : script._login;
        script._lines.Add(script._redactedLogin);
        return script;
    }

    /// <summary>How long an SFTP upload may move no byte: 10 s, or the node's timeout if shorter (zero: no limit, as for the timeout).</summary>
    public static TimeSpan StalledUploadLimit(TimeSpan? timeout) =>
        TimeSpan.FromSeconds(Math.Min(TimeoutSeconds(timeout), (int)s_stalledUpload.TotalSeconds));

    private static int TimeoutSeconds(TimeSpan? timeout) => (int)(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds;

    /// <summary>Adds a command.</summary>
    public void Add(string command) => Line(command);

    /// <summary>What lftp reads: every line, with the password.</summary>
    public byte[] ToBytes() => FileNameEncoding.GetBytes(Render(_login));

    /// <summary>The script with the password shown as "***".</summary>
    public override string ToString() => Render(_redactedLogin);

    private string Render(string login)
    {
        var text = new StringBuilder();
        for (int i = 0; i < _lines.Count; i++)
        {
            text.Append(i == _loginLine ? login : _lines[i]).Append('\n');
        }

        return text.ToString();
    }

    private void Line(string line) => _lines.Add(line);

    // Data encrypted as the control connection is; the certificate and the host name checked, as lftp does by default
    // (said here so that no lftp.conf or ~/.lftprc turns the checks off for a daemon), against tls_ca_file if set.
    private void TlsSettings(NodeConfig node)
    {
        Line("set ftp:ssl-protect-data yes");
        Line("set ssl:verify-certificate yes");
        Line("set ssl:check-hostname yes");
        if (node.TlsCaFile is { } caFile)
        {
            Line("set ssl:ca-file " + LftpSyntax.Quote(caFile));
        }
    }
}
