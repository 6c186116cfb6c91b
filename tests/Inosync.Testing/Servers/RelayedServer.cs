namespace Inosync.Testing.Servers;

/// <summary>
/// What <see cref="RsyncDaemon"/> and <see cref="SshServer"/> share: the running server process behind a
/// <see cref="CountingRelay"/> whose public port stays the same across stop and restart, and the fixture's temp
/// directory, deleted on dispose.
/// </summary>
internal sealed class RelayedServer : IAsyncDisposable
{
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(3);

    private readonly string _directory;
    private readonly CountingRelay _relay = new();
    private ServerProcess? _process;

    public RelayedServer(string directory)
    {
        _directory = directory;
    }

    /// <summary>The public port on 127.0.0.1 (0 until the first start).</summary>
    public int Port => _relay.Port;

    /// <summary>Bytes clients sent to the server so far, across restarts.</summary>
    public long BytesReceived => _relay.BytesReceived;

    /// <summary>Bytes the server sent to clients so far.</summary>
    public long BytesSent => _relay.BytesSent;

    public bool IsRunning => _process is { HasExited: false } && _relay.IsListening;

    /// <summary>The last lines the running server wrote ("" when stopped).</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>Takes over <paramref name="process"/>, which listens on <paramref name="serverPort"/>, and relays the public port to it.</summary>
    public void Attach(ServerProcess process, int serverPort)
    {
        _process = process;
        _relay.Start(serverPort);
    }

    /// <summary>Stops the relay (new connections are refused, live ones cut), then the server.</summary>
    public async Task StopAsync()
    {
        await _relay.StopAsync();
        if (_process is not null)
        {
            await _process.StopAsync(s_stopGrace);
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _relay.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open somewhere; the temp directory is left behind rather than failing the test.
        }
    }
}
