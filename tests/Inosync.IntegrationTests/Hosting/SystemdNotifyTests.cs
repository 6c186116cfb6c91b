using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Hosting;

/// <summary>
/// The sd_notify protocol against a real unix datagram socket standing in for systemd's: READY=1 only once the initial
/// sync has reached the node, STATUS= lines, WATCHDOG=1 at half of WATCHDOG_USEC, and STOPPING=1 on SIGTERM.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly TempTree _dir = new("inosync-notify-");
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<(string Message, bool NodeHadTheFile)> _received = new();

    public void Dispose()
    {
        _socket.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Ready_comes_after_the_initial_sync_then_status_watchdog_and_stopping()
    {
        string path = _dir.PathOf("notify.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        string? node = null;
        using var listening = new CancellationTokenSource();
        Task listener = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (!listening.IsCancellationRequested)
            {
                int length = await _socket.ReceiveAsync(buffer, SocketFlags.None, listening.Token);
                bool nodeHasFile = node is not null && File.Exists(Path.Combine(node, "big"));
                _received.Enqueue((Encoding.UTF8.GetString(buffer, 0, length), nodeHasFile));
            }
        });

        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Prepare = scenario =>
            {
                node = scenario.LocalTargets[0];
                File.WriteAllText(scenario.Src("big"), "the initial sync sends this");
            },
            Rsync = dir => RsyncWrapper.Create(dir, sleepSeconds: "2"),
            Environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["WATCHDOG_USEC"] = "400000" },
        });

        await Eventually.TrueWithinAsync(() => _received.Count(m => m.Message.StartsWith("WATCHDOG=1", StringComparison.Ordinal)) >= 3, s_timeout);
        await s.Daemon.SignalAsync("TERM");
        (await s.Daemon.WaitForExitAsync(s_timeout)).Should().Be(0, s.Describe("stop", []));
        await listening.CancelAsync();
        await listener.ContinueWith(_ => { }, TaskScheduler.Default);

        var messages = _received.ToList();
        var ready = messages.Where(m => m.Message.StartsWith("READY=1\n", StringComparison.Ordinal)).ToList();
        ready.Should().ContainSingle();
        ready[0].NodeHadTheFile.Should().BeTrue("READY=1 comes only once the initial sync has reached the node");
        ready[0].Message.Should().MatchRegex(@"^READY=1\nSTATUS=running: 1 directory watched; 2 nodes ok; 0 changes pending$");
        messages.Select(m => m.Message).Should().Contain(m => m.StartsWith("STATUS=starting: 1 directory watched; 2 nodes ok; initial sync done on ", StringComparison.Ordinal),
            "the initial sync takes more than a second (the rsync wrapper sleeps)");
        messages.FindIndex(m => m.Message.StartsWith("STOPPING=1\nSTATUS=stopping: ", StringComparison.Ordinal)).Should().BeGreaterThan(messages.IndexOf(ready[0]));
        messages.Select(m => m.Message).Should().OnlyContain(m => m.StartsWith("READY=1\n", StringComparison.Ordinal) || m.StartsWith("STATUS=", StringComparison.Ordinal)
            || m == "WATCHDOG=1" || m.StartsWith("STOPPING=1\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unusable_notify_socket_is_reported_and_syncing_goes_on()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Prepare = scenario => File.WriteAllText(scenario.Src("f"), "x"),
            Environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "relative/not/a/socket", ["WATCHDOG_USEC"] = "400000" },
        });

        await s.Daemon.WaitForLogAsync("is neither a path nor an abstract socket name", s_timeout);
        await s.ConvergedAsync(s_timeout);
    }
}
