using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Inosync.Testing.Servers;

/// <summary>
/// A real FTP server (pure-ftpd) on 127.0.0.1 for tests: one virtual user <see cref="UserName"/> with a password, its
/// home <see cref="DataPath"/> (owned by nobody, the user's system account), passive data ports on 127.0.0.1, no
/// anonymous login, dot files shown and writable. Everything lives in a temp directory; nothing system-wide changes.
/// Started with TLS, it speaks nothing else (pure-ftpd -Y 3: control and data encrypted), with a certificate for
/// 127.0.0.1 from a CA of its own (<see cref="CaFile"/>), and is also reachable with implicit TLS (<see cref="FtpsNode"/>).
/// </summary>
/// <remarks>
/// Implementation notes:
/// - The control port is relayed like <see cref="SshServer"/>'s, so <see cref="Port"/> survives a restart and a stop
///   cuts live sessions; data connections go straight to the passive ports.
/// - The password database is built with pure-pw from a passwd line hashed with SHA-512 crypt: pure-pw's own default
///   (argon2id) costs about 3 s per login on a small machine, which every batch would pay.
/// - Ready when a client can log in (lftp, the client inosync runs).
/// </remarks>
public sealed class FtpServer : IAsyncDisposable
{
    /// <summary>The only login.</summary>
    public const string UserName = "inosync";

    private const string PureFtpd = "/usr/sbin/pure-ftpd";
    private const string PurePw = "/usr/bin/pure-pw";
    private const int BindAttempts = 5;
    private const int PassivePorts = 40;

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private readonly RelayedServer _server;
    private readonly string? _certificate;
    private ImplicitTlsFront? _implicitTls;

    private FtpServer(string directory, bool tls)
    {
        _directory = directory;
        if (tls)
        {
            CaFile = Path.Combine(directory, "ca.pem");
            _certificate = Path.Combine(directory, "server.pem");
            ServerCertificate.Write(CaFile, _certificate);
        }

        _server = new RelayedServer(directory);
        DataPath = Path.Combine(directory, "home");
        PasswordFile = Path.Combine(directory, "client.password");
        // Characters lftp's quoting must carry: a comma (user,password), a quote, a backslash, a space.
        Password = "p, \"w\\" + RandomNumberGenerator.GetHexString(16, lowercase: true);
    }

    /// <summary>The public control port on 127.0.0.1 (stable across stop and restart).</summary>
    public int Port => _server.Port;

    /// <summary>The user's home directory: what the server writes, as this machine sees it.</summary>
    public string DataPath { get; }

    /// <summary>The password of <see cref="UserName"/>.</summary>
    public string Password { get; }

    /// <summary>A client-side password file (mode 0600) with <see cref="Password"/>.</summary>
    public string PasswordFile { get; }

    public bool IsRunning => _server.IsRunning;

    /// <summary>The certificate of the CA that signed the server's certificate (PEM); null when the server has no TLS.</summary>
    public string? CaFile { get; }

    /// <summary>
    /// From the next <see cref="StartAsync"/>: uploads are refused while the server's partition is fuller than this
    /// percentage (pure-ftpd -k; "552 Disk full"), which is how a full disk looks to a client. Null: no limit.
    /// </summary>
    public int? MaxDiskUsagePercent { get; set; }

    /// <summary>The node: "ftp://inosync@127.0.0.1:PORT".</summary>
    public string Node => string.Create(CultureInfo.InvariantCulture, $"ftp://{UserName}@127.0.0.1:{Port}");

    /// <summary>With TLS: "ftps://inosync@127.0.0.1:PORT", implicit TLS from the first byte (a front that greets in TLS).</summary>
    public string FtpsNode => _implicitTls is { } front
        ? string.Create(CultureInfo.InvariantCulture, $"ftps://{UserName}@127.0.0.1:{front.Port}")
        : throw new InvalidOperationException("the server was started without TLS");

    /// <summary>The server's output (for failure messages).</summary>
    public string ServerLog => _server.Output;

    /// <summary>Writes the user database (and with <paramref name="tls"/> the certificates) in a temp directory and starts the server.</summary>
    /// <exception cref="InvalidOperationException">pure-ftpd or lftp is not installed, or the server would not start.</exception>
    public static async Task<FtpServer> StartNewAsync(bool tls = false, CancellationToken cancellationToken = default)
    {
        ExternalTool.Require(PureFtpd);
        ExternalTool.Require(PurePw);
        ExternalTool.Require("/usr/bin/lftp");
        var server = new FtpServer(Directory.CreateTempSubdirectory("inosync-ftpd-").FullName, tls);
        try
        {
            // The server reaches the home as root before it takes the user's uid; the home itself is nobody's.
            File.SetUnixFileMode(server._directory, (UnixFileMode)0x1ED); // 0755
            Directory.CreateDirectory(server.DataPath);
            await ChownToNobodyAsync(server.DataPath, cancellationToken);
            await server.CreateUserAsync(cancellationToken);
            await server.StartAsync(cancellationToken);
            if (server._certificate is not null)
            {
                server._implicitTls = new ImplicitTlsFront(server._certificate, server.Port);
                server._implicitTls.Start();
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server again (after <see cref="StopAsync"/>) on the same public port and waits until a login works.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        for (int attempt = 1; ; attempt++)
        {
            int serverPort = FreePort.Pick();
            int passive = FreePort.Pick();
            List<string> arguments =
            [
                "-S", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1,{serverPort}"),
                "-p", string.Create(CultureInfo.InvariantCulture, $"{passive}:{passive + PassivePorts}"),
                "-P", "127.0.0.1",
                "-l", "puredb:" + Path.Combine(_directory, "pureftpd.pdb"),
                "-E", "-A", "-H", "-z", "-D", "-c", "100", "-C", "100",
            ];
            if (_certificate is not null)
            {
                arguments.AddRange(["-Y", "3", "-2", _certificate]);
            }

            if (MaxDiskUsagePercent is { } percent)
            {
                arguments.AddRange(["-k", percent.ToString(CultureInfo.InvariantCulture)]);
            }

            var process = ServerProcess.Start(PureFtpd, arguments);
            if (await process.WaitUntilAsync(ct => FreePort.AcceptsAsync(serverPort, ct), s_startTimeout, cancellationToken))
            {
                _server.Attach(process, serverPort);
                await VerifyLoginAsync(cancellationToken);
                return;
            }

            string log = process.Output;
            await process.DisposeAsync();
            if (attempt == BindAttempts)
            {
                throw new InvalidOperationException($"pure-ftpd did not start on 127.0.0.1:{serverPort}. Its output:\n{log}");
            }
        }
    }

    /// <summary>Stops the server: new connections are refused and live ones are cut.</summary>
    public Task StopAsync() => _server.StopAsync();

    public async ValueTask DisposeAsync()
    {
        if (_implicitTls is not null)
        {
            await _implicitTls.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    private static async Task ChownToNobodyAsync(string path, CancellationToken cancellationToken)
    {
        var result = await ExternalTool.RunAsync("chown", ["nobody:nogroup", path], cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown nobody {path} failed (the FTP tests run as root): {result}");
        }
    }

    private async Task CreateUserAsync(CancellationToken cancellationToken)
    {
        var hash = await ExternalTool.RunAsync("openssl", ["passwd", "-6", "-stdin"], standardInput: Password + "\n", cancellationToken: cancellationToken);
        if (hash.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl passwd failed: {hash}");
        }

        // user:hash:uid:gid:gecos:home/./ — "/./" marks the chroot.
        string passwd = Path.Combine(_directory, "pureftpd.passwd");
        await File.WriteAllTextAsync(passwd,
            string.Create(CultureInfo.InvariantCulture, $"{UserName}:{hash.StandardOutput.Trim()}:65534:65534::{DataPath}/./::::::::::::\n"), cancellationToken);
        var mkdb = await ExternalTool.RunAsync(PurePw, ["mkdb", Path.Combine(_directory, "pureftpd.pdb"), "-f", passwd], cancellationToken: cancellationToken);
        if (mkdb.ExitCode != 0)
        {
            throw new InvalidOperationException($"pure-pw mkdb failed: {mkdb}");
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using var writer = new StreamWriter(PasswordFile, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        await writer.WriteAsync(Password + "\n");
    }

    private async Task VerifyLoginAsync(CancellationToken cancellationToken)
    {
        string script = string.Create(CultureInfo.InvariantCulture,
            $"set net:max-retries 1\n{(CaFile is null ? "set ftp:ssl-allow no" : $"set ftp:ssl-force yes\nset ssl:ca-file \"{CaFile}\"")}\nopen -u \"{UserName},{Password.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\" ftp://127.0.0.1:{Port}\nls\n");
        var result = await ExternalTool.RunAsync("lftp", [], standardInput: script, timeout: s_startTimeout, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pure-ftpd is listening but lftp cannot log in ({result.ExitCode}): {result.StandardError.Trim()}\nserver output:\n{ServerLog}");
        }
    }
}
