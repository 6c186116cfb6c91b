using System.Net;
using System.Net.Sockets;

namespace Inosync.Testing.Servers;

/// <summary>Picks a loopback port nobody listens on right now (the kernel's choice for port 0).</summary>
internal static class FreePort
{
    /// <summary>
    /// Racy by nature: another process may take the port before the server binds it. Callers retry with a fresh
    /// port when the server reports "Address already in use".
    /// </summary>
    public static int Pick()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
