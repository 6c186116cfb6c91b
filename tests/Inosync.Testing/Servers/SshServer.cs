using System.Globalization;
using System.Text;

namespace Inosync.Testing.Servers;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 for tests: its own host key, client key, authorized_keys and known_hosts in a
/// temp directory, public-key login only, host key checking left on. Rsync reaches it with
/// <c>rsync -e "<see cref="SshCommand"/>" … <see cref="Node"/>/path</c>.
/// </summary>
/// <remarks>
/// Implementation notes:
/// - sshd listens on a private port; clients connect through a <see cref="CountingRelay"/> on <see cref="Port"/>.
///   That keeps <see cref="Port"/> (and the known_hosts line) stable across <see cref="StopAsync"/> and
///   <see cref="StartAsync"/>, counts the bytes on the wire, and lets a stop cut live connections like a crash would.
/// - Readiness is sshd's own "Server listening" line, then a real <c>ssh … true</c>; we never probe with a bare TCP
///   connect, which newer sshd versions (9.8+) punish with a per-source penalty. Where supported, penalties are
///   switched off anyway (every client here is 127.0.0.1).
/// - sshd needs its privilege-separation directory /run/sshd even with a private config; it is created if missing.
/// </remarks>
public sealed class SshServer : IAsyncDisposable
{
    private const string Sshd = "/usr/sbin/sshd";
    private const string PrivilegeSeparationDirectory = "/run/sshd";
    private const int BindAttempts = 5;

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private readonly RelayedServer _server;
    private bool _penaltiesSupported;

    private readonly bool _sftpOnly;

    private SshServer(string directory, bool sftpOnly)
    {
        _sftpOnly = sftpOnly;
        _directory = directory;
        _server = new RelayedServer(directory);
        KeyPath = Path.Combine(directory, "client_key");
        KnownHostsPath = Path.Combine(directory, "known_hosts");
        DataPath = Path.Combine(directory, "data");
        User = Environment.UserName;
    }

    /// <summary>The public port on 127.0.0.1 (stable across stop and restart).</summary>
    public int Port => _server.Port;

    /// <summary>The user ssh logs in as: the current user (root on the CI machines).</summary>
    public string User { get; }

    /// <summary>The node in rsync syntax: "user@127.0.0.1:".</summary>
    public string Node => $"{User}@127.0.0.1:";

    /// <summary>The client's private key.</summary>
    public string KeyPath { get; }

    /// <summary>A known_hosts file with this server's host key for [127.0.0.1]:<see cref="Port"/>.</summary>
    public string KnownHostsPath { get; }

    /// <summary>An empty directory owned by the fixture (deleted with it), handy as a node's rpath.</summary>
    public string DataPath { get; }

    /// <summary>The remote-shell command for rsync's <c>-e</c>: host key checked against <see cref="KnownHostsPath"/>, no prompts.</summary>
    public string SshCommand => string.Join(' ', SshArguments);

    /// <summary>The ssh program and its options as separate words (what rsync makes of <see cref="SshCommand"/>).</summary>
    public IReadOnlyList<string> SshArguments =>
    [
        "ssh", "-p", Port.ToString(CultureInfo.InvariantCulture), "-i", KeyPath,
        "-o", "UserKnownHostsFile=" + KnownHostsPath, "-o", "StrictHostKeyChecking=yes",
        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
    ];

    /// <summary>Rsync arguments that select this server's remote shell: <c>-e</c> and <see cref="SshCommand"/>.</summary>
    public IReadOnlyList<string> ExtraArgs => ["-e", SshCommand];

    /// <summary>Bytes clients sent to the server so far (rsync data plus ssh overhead), across restarts.</summary>
    public long BytesReceived => _server.BytesReceived;

    /// <summary>Bytes the server sent to clients so far.</summary>
    public long BytesSent => _server.BytesSent;

    public bool IsRunning => _server.IsRunning;

    /// <summary>The last lines sshd logged (for failure messages).</summary>
    public string ServerLog => _server.Output;

    /// <summary>The rsync destination for <paramref name="path"/> on this node ("user@127.0.0.1:/path").</summary>
    public string Target(string path) => Node + path;

    /// <summary>The node as an SFTP URL: "sftp://user@127.0.0.1:PORT".</summary>
    public string SftpNode => string.Create(CultureInfo.InvariantCulture, $"sftp://{User}@127.0.0.1:{Port}");

    /// <summary>Creates keys and configuration in a temp directory and starts the server.</summary>
    /// <param name="sftpOnly">Every login gets the SFTP server and nothing else (ForceCommand internal-sftp), as on an
    /// SFTP-only hosting account: no shell, so neither rsync nor a rename over ssh can run.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">OpenSSH is not installed, or sshd would not start (its log is in the message).</exception>
    public static async Task<SshServer> StartNewAsync(bool sftpOnly = false, CancellationToken cancellationToken = default)
    {
        ExternalTool.Require(Sshd);
        var directory = Directory.CreateTempSubdirectory("inosync-sshd-").FullName;
        var server = new SshServer(directory, sftpOnly);
        try
        {
            Directory.CreateDirectory(server.DataPath);
            EnsurePrivilegeSeparationDirectory();
            await server.CreateKeysAsync(cancellationToken);
            server._penaltiesSupported = await server.SupportsPerSourcePenaltiesAsync(cancellationToken);
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts sshd again (after <see cref="StopAsync"/>) on the same public port and waits until a login works.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        EnsurePrivilegeSeparationDirectory();
        await StartSshdAsync(cancellationToken);
        await File.WriteAllTextAsync(KnownHostsPath, await KnownHostsLineAsync(cancellationToken), cancellationToken);
        await VerifyLoginAsync(cancellationToken);
    }

    /// <summary>Stops the server: new connections are refused and live ones are cut.</summary>
    public Task StopAsync() => _server.StopAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static void EnsurePrivilegeSeparationDirectory()
    {
        if (Directory.Exists(PrivilegeSeparationDirectory))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(PrivilegeSeparationDirectory);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidOperationException($"sshd needs {PrivilegeSeparationDirectory}; create it as root (mkdir -p {PrivilegeSeparationDirectory}).", ex);
        }
    }

    private async Task CreateKeysAsync(CancellationToken cancellationToken)
    {
        ExternalTool.Require("/usr/bin/ssh-keygen");
        foreach (string key in new[] { "host_key", "client_key" })
        {
            var result = await ExternalTool.RunAsync(
                "ssh-keygen",
                ["-q", "-N", "", "-t", "ed25519", "-C", "inosync-test-" + key, "-f", Path.Combine(_directory, key)],
                cancellationToken: cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"ssh-keygen failed: {result}");
            }
        }

        File.Copy(KeyPath + ".pub", Path.Combine(_directory, "authorized_keys"));
    }

    private async Task<string> KnownHostsLineAsync(CancellationToken cancellationToken)
    {
        // "ssh-ed25519 AAAA… comment" → "[127.0.0.1]:PORT ssh-ed25519 AAAA…"
        string[] hostKey = (await File.ReadAllTextAsync(Path.Combine(_directory, "host_key.pub"), cancellationToken)).Split(' ');
        return string.Create(CultureInfo.InvariantCulture, $"[127.0.0.1]:{Port} {hostKey[0]} {hostKey[1]}\n");
    }

    private string WriteConfig(int serverPort, string name)
    {
        var config = new StringBuilder();
        config.Append("# inosync test sshd: loopback only, public key only, everything in this directory\n");
        config.Append("ListenAddress 127.0.0.1\n");
        config.Append(CultureInfo.InvariantCulture, $"Port {serverPort}\n");
        config.Append(CultureInfo.InvariantCulture, $"HostKey {Path.Combine(_directory, "host_key")}\n");
        config.Append(CultureInfo.InvariantCulture, $"AuthorizedKeysFile {Path.Combine(_directory, "authorized_keys")}\n");
        config.Append("PubkeyAuthentication yes\n");
        config.Append("PasswordAuthentication no\n");
        config.Append("KbdInteractiveAuthentication no\n");
        config.Append("PermitRootLogin prohibit-password\n");
        config.Append("StrictModes no\n"); // the temp directory's modes are not sshd's business
        config.Append("UsePAM no\n");
        config.Append(CultureInfo.InvariantCulture, $"PidFile {Path.Combine(_directory, "sshd.pid")}\n");
        config.Append("MaxStartups 100\n"); // parallel tests open many connections at once
        config.Append("Subsystem sftp internal-sftp\n");
        if (_sftpOnly)
        {
            config.Append("ForceCommand internal-sftp\n");
        }

        if (_penaltiesSupported)
        {
            config.Append("PerSourcePenalties no\n");
        }

        string path = Path.Combine(_directory, name);
        if (path.Any(char.IsWhiteSpace))
        {
            throw new InvalidOperationException($"The temp directory {_directory} contains whitespace, which sshd_config and rsync -e cannot take; set TMPDIR.");
        }

        File.WriteAllText(path, config.ToString());
        return path;
    }

    /// <summary>OpenSSH 9.8 added PerSourcePenalties; older servers reject the keyword, so ask sshd itself.</summary>
    private async Task<bool> SupportsPerSourcePenaltiesAsync(CancellationToken cancellationToken)
    {
        _penaltiesSupported = true;
        string probe = WriteConfig(FreePort.Pick(), "sshd_config.probe");
        var result = await ExternalTool.RunAsync(Sshd, ["-t", "-f", probe], cancellationToken: cancellationToken);
        return result.ExitCode == 0;
    }

    private async Task StartSshdAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            int serverPort = FreePort.Pick();
            string config = WriteConfig(serverPort, "sshd_config");
            var sshd = ServerProcess.Start(Sshd, ["-D", "-e", "-f", config]);
            string listening = string.Create(CultureInfo.InvariantCulture, $"Server listening on 127.0.0.1 port {serverPort}.");
            if (await sshd.WaitUntilAsync(_ => Task.FromResult(sshd.Output.Contains(listening, StringComparison.Ordinal)), s_startTimeout, cancellationToken))
            {
                _server.Attach(sshd, serverPort);
                return;
            }

            string log = sshd.Output;
            await sshd.DisposeAsync();
            bool portTaken = log.Contains("Address already in use", StringComparison.Ordinal);
            if (!portTaken || attempt == BindAttempts)
            {
                throw new InvalidOperationException($"sshd did not start on 127.0.0.1:{serverPort} (attempt {attempt}). Its log:\n{log}");
            }
        }
    }

    private async Task VerifyLoginAsync(CancellationToken cancellationToken)
    {
        // An SFTP-only login runs the sftp subsystem whatever is asked; it ends cleanly at end-of-input.
        var arguments = _sftpOnly
            ? SshArguments.Skip(1).Append("-s").Append($"{User}@127.0.0.1").Append("sftp")
            : SshArguments.Skip(1).Append($"{User}@127.0.0.1").Append("true");
        var result = await ExternalTool.RunAsync("ssh", arguments, timeout: s_startTimeout, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"sshd is listening but `ssh … {User}@127.0.0.1 true` failed ({result.ExitCode}): {result.StandardError.Trim()}\nsshd log:\n{ServerLog}");
        }
    }
}
