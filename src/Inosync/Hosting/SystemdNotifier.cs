using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Serilog;

namespace Inosync.Cli.Hosting;

/// <summary>
/// The sd_notify(3) protocol, which is one datagram per message to the unix socket systemd names in
/// <c>$NOTIFY_SOCKET</c> (a path, or "@name" for the abstract namespace). The variables are removed from the
/// environment once read, so rsync and ssh, which inosync starts, never see them.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly ILogger _log;
    private int _warned;

    private SystemdNotifier(Socket socket, UnixDomainSocketEndPoint endpoint, TimeSpan? watchdog, ILogger log)
    {
        _socket = socket;
        _endpoint = endpoint;
        WatchdogInterval = watchdog;
        _log = log;
    }

    /// <summary>The interval <c>WatchdogSec=</c> asks for, when it is meant for this process; null without one.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>The notifier systemd asked for, or null when inosync is not run by systemd with <c>Type=notify</c>.</summary>
    public static SystemdNotifier? FromEnvironment(ILogger log)
    {
        string? socketPath = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        string? watchdogUsec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? watchdogPid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        foreach (string name in (string[])["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"])
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        if (string.IsNullOrEmpty(socketPath))
        {
            return null;
        }

        if (socketPath[0] is not ('/' or '@'))
        {
            log.Warning("NOTIFY_SOCKET {Socket} is neither a path nor an abstract socket name; systemd is not told when inosync is ready", socketPath);
            return null;
        }

        TimeSpan? watchdog = null;
        if (long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) && microseconds > 0
            && (string.IsNullOrEmpty(watchdogPid) || watchdogPid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture)))
        {
            watchdog = TimeSpan.FromMicroseconds(microseconds);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        return new SystemdNotifier(socket, endpoint, watchdog, log);
    }

    /// <summary>Sends one message ("READY=1", "STATUS=…", several separated by '\n'). A failure is logged once and never thrown:
    /// systemd not listening must not stop the syncing.</summary>
    public void Send(string message)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), _endpoint);
        }
        catch (SocketException ex)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                _log.Warning("Cannot notify systemd through {Socket}: {Error}", _endpoint.ToString(), ex.Message);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
