using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Inosync.Testing.Servers;

/// <summary>
/// A real rsync daemon on 127.0.0.1 for tests: one writable module <see cref="Module"/> at <see cref="ModulePath"/>,
/// password authentication for <see cref="UserName"/>, strict modes on (as a real deployment would have it).
/// </summary>
/// <remarks>
/// Like <see cref="SshServer"/>, the daemon listens on a private port behind a <see cref="CountingRelay"/>, so
/// <see cref="Port"/> survives a restart, bytes are counted, and a stop cuts live transfers.
/// </remarks>
public sealed class RsyncDaemon : IAsyncDisposable
{
    /// <summary>The module name.</summary>
    public const string Module = "data";

    /// <summary>The only user the module admits.</summary>
    public const string UserName = "inosync";

    private const string Rsync = "/usr/bin/rsync";
    private const int BindAttempts = 5;

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private readonly RelayedServer _server;

    private RsyncDaemon(string directory)
    {
        _directory = directory;
        _server = new RelayedServer(directory);
        ModulePath = Path.Combine(directory, "module");
        PasswordFile = Path.Combine(directory, "client.password");
        Password = RandomNumberGenerator.GetHexString(24, lowercase: true);
    }

    /// <summary>The public port on 127.0.0.1 (stable across stop and restart).</summary>
    public int Port => _server.Port;

    /// <summary>The module's directory on disk.</summary>
    public string ModulePath { get; }

    /// <summary>The password of <see cref="UserName"/>.</summary>
    public string Password { get; }

    /// <summary>A client-side password file (mode 0600) for <c>--password-file</c>.</summary>
    public string PasswordFile { get; }

    /// <summary>Bytes clients sent to the daemon so far, across restarts.</summary>
    public long BytesReceived => _server.BytesReceived;

    /// <summary>Bytes the daemon sent to clients so far.</summary>
    public long BytesSent => _server.BytesSent;

    public bool IsRunning => _server.IsRunning;

    /// <summary>The last lines of the daemon's log (for failure messages).</summary>
    public string ServerLog => ReadLog();

    private string LogPath => Path.Combine(_directory, "rsyncd.log");

    /// <summary>
    /// The node in rsync syntax: "inosync@127.0.0.1::data" (with <see cref="ExtraArgs"/> for the port) or
    /// "rsync://inosync@127.0.0.1:PORT/data". Both take "/path" appended as a target.
    /// </summary>
    public string Node(RsyncDaemonNodeForm form) => form switch
    {
        RsyncDaemonNodeForm.DoubleColon => $"{UserName}@127.0.0.1::{Module}",
        RsyncDaemonNodeForm.Url => string.Create(CultureInfo.InvariantCulture, $"rsync://{UserName}@127.0.0.1:{Port}/{Module}"),
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    /// <summary>The rsync arguments the node form needs: <c>--port=PORT</c> for "host::module", nothing for a URL.</summary>
    public IReadOnlyList<string> ExtraArgs(RsyncDaemonNodeForm form) =>
        form == RsyncDaemonNodeForm.DoubleColon ? [string.Create(CultureInfo.InvariantCulture, $"--port={Port}")] : [];

    /// <summary>Writes the configuration and secrets in a temp directory and starts the daemon.</summary>
    /// <exception cref="InvalidOperationException">rsync is not installed, or the daemon would not start (its log is in the message).</exception>
    public static async Task<RsyncDaemon> StartNewAsync(CancellationToken cancellationToken = default)
    {
        ExternalTool.Require(Rsync);
        var daemon = new RsyncDaemon(Directory.CreateTempSubdirectory("inosync-rsyncd-").FullName);
        try
        {
            Directory.CreateDirectory(daemon.ModulePath);
            WritePrivate(Path.Combine(daemon._directory, "rsyncd.secrets"), $"{UserName}:{daemon.Password}\n");
            WritePrivate(daemon.PasswordFile, daemon.Password + "\n");
            await daemon.StartAsync(cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the daemon again (after <see cref="StopAsync"/>) on the same public port and waits until it answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        await StartDaemonAsync(cancellationToken);
        await VerifyListingAsync(cancellationToken);
    }

    /// <summary>Stops the daemon: new connections are refused and live ones are cut.</summary>
    public Task StopAsync() => _server.StopAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    // rsync refuses a secrets or password file that others can read ("strict modes"), so create it 0600 from the start.
    private static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var writer = new StreamWriter(path, Encoding.ASCII, options);
        writer.Write(content);
    }

    private string ReadLog()
    {
        string log = File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
        string output = _server.Output;
        return output.Length == 0 ? log : log + "\n" + output;
    }

    private string WriteConfig(int serverPort)
    {
        if (_directory.Any(char.IsWhiteSpace))
        {
            throw new InvalidOperationException($"The temp directory {_directory} contains whitespace; set TMPDIR.");
        }

        var config = new StringBuilder();
        config.Append("# inosync test rsync daemon: loopback only, one module, password authentication\n");
        config.Append(CultureInfo.InvariantCulture, $"pid file = {Path.Combine(_directory, $"rsyncd.{serverPort}.pid")}\n");
        config.Append(CultureInfo.InvariantCulture, $"log file = {LogPath}\n");
        config.Append("use chroot = no\n");

        // Without a chroot, rsyncd rewrites every symlink to "/rsyncd-munged/…" unless told not to; the tests want a
        // mirror they can compare with the source.
        config.Append("munge symlinks = no\n");
        if (Environment.UserName == "root")
        {
            // Otherwise the daemon drops to nobody and cannot write the module (owned by root).
            config.Append("uid = root\ngid = root\n");
        }

        config.Append(CultureInfo.InvariantCulture, $"[{Module}]\n");
        config.Append(CultureInfo.InvariantCulture, $"path = {ModulePath}\n");
        config.Append("read only = no\n");
        config.Append(CultureInfo.InvariantCulture, $"auth users = {UserName}\n");
        config.Append(CultureInfo.InvariantCulture, $"secrets file = {Path.Combine(_directory, "rsyncd.secrets")}\n");
        config.Append("strict modes = yes\n");
        string path = Path.Combine(_directory, "rsyncd.conf");
        File.WriteAllText(path, config.ToString());
        return path;
    }

    private async Task StartDaemonAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            int serverPort = FreePort.Pick();
            string config = WriteConfig(serverPort);
            int logLength = File.Exists(LogPath) ? (int)new FileInfo(LogPath).Length : 0;
            var daemon = ServerProcess.Start(Rsync, [
                "--daemon", "--no-detach", "--config=" + config,
                string.Create(CultureInfo.InvariantCulture, $"--port={serverPort}"), "--address=127.0.0.1",
            ]);

            // A bare connect is harmless to rsyncd (it logs a protocol error); its log line about listening is not
            // written to a place we can wait on reliably across versions.
            bool listening = await daemon.WaitUntilAsync(ct => FreePort.AcceptsAsync(serverPort, ct), s_startTimeout, cancellationToken);
            if (listening && !daemon.HasExited)
            {
                _server.Attach(daemon, serverPort);
                return;
            }

            await daemon.DisposeAsync();
            string log = (File.Exists(LogPath) ? File.ReadAllText(LogPath)[logLength..] : "") + "\n" + daemon.Output;
            if (!log.Contains("Address already in use", StringComparison.Ordinal) || attempt == BindAttempts)
            {
                throw new InvalidOperationException($"rsync --daemon did not start on 127.0.0.1:{serverPort} (attempt {attempt}). Its log:\n{log}");
            }
        }
    }

    private async Task VerifyListingAsync(CancellationToken cancellationToken)
    {
        var result = await ExternalTool.RunAsync(
            Rsync,
            ["--list-only", "--password-file=" + PasswordFile, Node(RsyncDaemonNodeForm.Url) + "/"],
            timeout: s_startTimeout,
            cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rsync --daemon is listening but --list-only failed ({result.ExitCode}): {result.StandardError.Trim()}\nlog:\n{ServerLog}");
        }
    }
}
