using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Inosync.Testing.Servers;

/// <summary>
/// A loopback TCP relay in front of a server: clients connect to <see cref="Port"/>, the relay connects to the
/// server's private port and copies bytes both ways, counting them. It is what gives the fixtures a stable public
/// port across a stop and restart, a byte count that includes everything on the wire (ssh overhead too), and a
/// way to cut live connections when a test stops the server mid-run.
/// </summary>
internal sealed class CountingRelay : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;
    private Task? _acceptLoop;
    private long _bytesReceived;
    private long _bytesSent;

    /// <summary>The public port (0 until the first start; kept across restarts).</summary>
    public int Port { get; private set; }

    /// <summary>Bytes clients sent to the server, since the relay was created.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Bytes the server sent to clients, since the relay was created.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public bool IsListening => _listener is not null;

    /// <summary>Listens on the public port (a new one the first time, the same one after a stop) and relays to <paramref name="serverPort"/>.</summary>
    public void Start(int serverPort)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The relay is already listening.");
        }

        var listener = new TcpListener(IPAddress.Loopback, Port);

        // Connections cut by StopAsync leave TIME_WAIT sockets on the public port; they must not block the restart.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _stopping = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(listener, serverPort, _stopping.Token);
    }

    /// <summary>Stops listening (new connections are refused) and cuts every live connection.</summary>
    public async Task StopAsync()
    {
        if (_listener is null || _stopping is null || _acceptLoop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections.Keys);
        _stopping.Dispose();
        _listener = null;
        _stopping = null;
        _acceptLoop = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptLoopAsync(TcpListener listener, int serverPort, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var connection = RelayAsync(client, serverPort, stopping);
            _connections[connection] = 0;
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task RelayAsync(TcpClient client, int serverPort, CancellationToken stopping)
    {
        // ssh and rsync set TCP_NODELAY themselves; a relay with Nagle on would add a delayed-ACK stall to every round trip.
        // A plain Socket, not a TcpClient: a TcpClient disposed by the stop while it connects throws NullReferenceException.
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (client)
        {
            client.NoDelay = true;
            // Taken before the stop can dispose the client: a disposed TcpClient's Client is null.
            var downstream = client.Client;
            // Closing both sockets is how every pump learns that the connection is over, whichever side ended it.
            using var cut = stopping.Register(() =>
            {
                client.Dispose();
                upstream.Dispose();
            });
            try
            {
                await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, serverPort), stopping);
                await Task.WhenAll(
                    PumpAsync(downstream, upstream, n => Interlocked.Add(ref _bytesReceived, n), Abort),
                    PumpAsync(upstream, downstream, n => Interlocked.Add(ref _bytesSent, n), Abort));
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The server is gone or the relay is stopping: the client sees its connection closed.
            }

            void Abort()
            {
                client.Dispose();
                upstream.Dispose();
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, Action<int> count, Action abort)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    // Pass the half-close on: rsync and ssh both rely on seeing end-of-file.
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                count(read);
                for (int sent = 0; sent < read;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None);
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            abort();
        }
    }
}
