using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Inosync.Testing.Servers;

/// <summary>
/// Implicit FTPS (ftps://, TLS from the first byte, as on port 990) in front of an FTP server that speaks explicit TLS,
/// the way stunnel is put in front of one: each client is greeted in TLS, and its session goes on over a connection
/// the front has upgraded with AUTH TLS. Data connections go straight to the server's passive ports, in TLS (PROT P).
/// </summary>
internal sealed class ImplicitTlsFront : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private Task? _accepting;

    /// <param name="certificatePem">The certificate and its key (PEM): the server's own, so the front checks the server by it.</param>
    /// <param name="serverPort">The FTP server's control port on 127.0.0.1.</param>
    public ImplicitTlsFront(string certificatePem, int serverPort)
    {
        _certificate = X509Certificate2.CreateFromPemFile(certificatePem);
        _serverPort = serverPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([.. _sessions.Keys, _accepting ?? Task.CompletedTask]);
        _certificate.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(stopping);
                Task session = ServeAsync(client, stopping);
                _sessions.TryAdd(session, 0);
                _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        try
        {
            using (client)
            using (var server = new TcpClient())
            {
                await server.ConnectAsync(IPAddress.Loopback, _serverPort, stopping);
                NetworkStream plain = server.GetStream();
                string greeting = await ReadReplyAsync(plain, stopping);
                await plain.WriteAsync("AUTH TLS\r\n"u8.ToArray(), stopping);
                string auth = await ReadReplyAsync(plain, stopping);
                if (!auth.StartsWith("234", StringComparison.Ordinal))
                {
                    return;
                }

                await using var upstream = new SslStream(plain, leaveInnerStreamOpen: false, (_, presented, _, _) =>
                    presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString());
                await upstream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" }, stopping);
                await using var downstream = new SslStream(client.GetStream());
                await downstream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, stopping);
                await downstream.WriteAsync(Encoding.ASCII.GetBytes(greeting), stopping);
                await Task.WhenAny(downstream.CopyToAsync(upstream, stopping), upstream.CopyToAsync(downstream, stopping));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // A client or the server went away; the session ends as a real one would.
        }
    }

    // One reply, every line of it, read a byte at a time: nothing after it may be taken (the TLS handshake follows).
    private static async Task<string> ReadReplyAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var reply = new StringBuilder();
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the FTP server closed the connection");
            }

            line.Append((char)one[0]);
            if (one[0] != '\n')
            {
                continue;
            }

            reply.Append(line);
            string text = line.ToString();
            line.Clear();
            if (text.Length >= 4 && char.IsAsciiDigit(text[0]) && text[3] == ' ')
            {
                return reply.ToString();
            }
        }
    }
}
