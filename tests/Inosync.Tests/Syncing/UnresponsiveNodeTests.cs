using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Nodes;
using Inosync.Rsync;
using Inosync.Tests.Support;
using Inosync.Tests.Transfer;
using Serilog.Events;

namespace Inosync.Tests.Syncing;

/// <summary>
/// A node that accepts the connection and never answers (a listener on 127.0.0.1 that reads nothing and sends
/// nothing): with rsync_timeout the rsync fails, the node is reported failing and retried, and stop is prompt.
/// </summary>
public sealed class UnresponsiveNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly Mirror _mirror = new();
    private readonly LogCapture _log = new();
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stopping = new();

    public Task InitializeAsync()
    {
        _silent.Start();
        _ = AcceptForeverAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        _silent.Stop();
        _accepted.ForEach(s => s.Dispose());
        _stopping.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task A_node_that_never_answers_fails_within_the_timeout_and_stop_is_prompt()
    {
        int port = ((IPEndPoint)_silent.LocalEndpoint).Port;
        var node = new NodeConfig($"rsync://127.0.0.1:{port}/mod", NodeKind.RsyncDaemon, $"rsync://127.0.0.1:{port}/mod", [], 0, null, MoveStrategy.Transfer, "test:1:1");

        await RetriesThenStopsPromptlyAsync(node, TimeSpan.FromSeconds(10), status =>
            status.LastError!.ExitCode.Should().BeOneOf([30, 35], "rsync timed out (30: no data, 35: no daemon greeting)"));
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("sftp")]
    public async Task A_server_without_rsync_that_never_answers_fails_within_the_timeout_and_stop_is_prompt(string scheme)
    {
        int port = ((IPEndPoint)_silent.LocalEndpoint).Port;
        NodeConfig node = LftpSyntaxTests.FtpNode(string.Create(CultureInfo.InvariantCulture, $"{scheme}://inosync@127.0.0.1:{port}"), FtpTls.Off);
        if (scheme == "sftp")
        {
            // ssh waits for the server's banner; its own ConnectTimeout only covers the TCP connect.
            node = node with { RemoteShell = "ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null" };
        }

        await RetriesThenStopsPromptlyAsync(node, TimeSpan.FromSeconds(15), status =>
        {
            status.LastError!.Message.Should().Contain("max-retries exceeded", "lftp's net:timeout (rsync_timeout) ran out");
            _log.MessagesAt(LogEventLevel.Warning).Should().Contain(m => m.Contains("did not answer within rsync_timeout", StringComparison.Ordinal), "the log says what lftp's last words do not");
            _accepted.Should().NotBeEmpty("the silent server was reached");
        });
    }

    /// <summary>
    /// Runs a worker for <paramref name="node"/> with a 2 s rsync_timeout until it is retrying (the failure and the retry
    /// are recorded one after the other: it waits for the second), checks its status, then stops it and checks the final
    /// sync gives up within <paramref name="stopWithin"/>.
    /// </summary>
    private async Task RetriesThenStopsPromptlyAsync(NodeConfig node, TimeSpan stopWithin, Action<NodeStatus> check)
    {
        SyncConfig sync = _mirror.Sync with { RsyncTimeout = TimeSpan.FromSeconds(2) };
        var worker = new NodeWorker(sync, node, new CoalescerOptions(), new NodeWorkerOptions { TerminateGrace = TimeSpan.FromSeconds(1) }, _log.Logger, TimeProvider.System);
        worker.RequestFullSync();
        using var stop = new CancellationTokenSource();
        Task running = worker.RunAsync(stop.Token);

        var clock = Stopwatch.StartNew();
        while (worker.GetStatus().State != NodeState.Retrying)
        {
            clock.Elapsed.Should().BeLessThan(s_timeout, "the client must give up on a node that never answers");
            await Task.Delay(50);
        }

        check(worker.GetStatus());

        await stop.CancelAsync();
        clock.Restart();
        await running.WaitAsync(s_timeout);
        clock.Elapsed.Should().BeLessThan(stopWithin, "the final sync fails within the timeout too");
    }

    [Fact]
    public void The_timeout_goes_before_extra_so_extra_can_override_it()
    {
        var node = new NodeConfig("h::m", NodeKind.RsyncDaemon, "h::m/x", ["--timeout=0"], 0, null, MoveStrategy.Transfer, "t:1:1");
        SyncConfig sync = _mirror.Sync with { RsyncTimeout = TimeSpan.FromSeconds(120) };

        IReadOnlyList<string> arguments = RsyncCommand.Create(Mirror.Full, sync, node).Arguments;

        arguments.Should().ContainInConsecutiveOrder("--timeout=120", "--contimeout=120");
        arguments.ToList().IndexOf("--timeout=0").Should().BeGreaterThan(arguments.ToList().IndexOf("--timeout=120"));
        RsyncCommand.Create(Mirror.Full, sync, _mirror.NodeConfig).Arguments.Should().Contain("--timeout=120").And.NotContain(a => a.StartsWith("--contimeout", StringComparison.Ordinal));
    }

    private async Task AcceptForeverAsync()
    {
        try
        {
            while (true)
            {
                _accepted.Add(await _silent.AcceptSocketAsync(_stopping.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
