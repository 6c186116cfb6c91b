using System.Diagnostics;
using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Nodes;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Tests.Syncing;
using Inosync.Watching;

namespace Inosync.Tests.Status;

/// <summary>The status file is only as fresh as the events it sleeps on: the last one must follow the last change.</summary>
[SupportedOSPlatform("linux")]
public sealed class NodeWorkerStatusChangedTests : IDisposable
{
    private readonly Mirror _mirror = new();
    private readonly TempTree _wrapperDirectory = new("inosync-rsync-wrapper-");
    private readonly RsyncWrapper _wrapper;
    private readonly LogCapture _log = new();

    public NodeWorkerStatusChangedTests()
    {
        _wrapper = RsyncWrapper.CreateSteerable(_wrapperDirectory.Root);
    }

    public void Dispose()
    {
        _wrapperDirectory.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task StatusChanged_follows_every_state_and_the_final_status_is_the_last_one_seen()
    {
        _wrapper.FailNext(2, 12, "rsync: connection unexpectedly closed");
        var options = new NodeWorkerOptions { InitialRetryDelay = TimeSpan.FromMilliseconds(50), MaximumRetryDelay = TimeSpan.FromMilliseconds(100) };
        var worker = new NodeWorker(_mirror.Sync with { RsyncPath = _wrapper.Path }, _mirror.NodeConfig, new CoalescerOptions(), options, _log.Logger, TimeProvider.System);
        var seen = new List<NodeStatus>();
        worker.StatusChanged += (_, _) =>
        {
            lock (seen)
            {
                seen.Add(worker.GetStatus());
            }
        };
        using var stopping = new CancellationTokenSource();
        Task running = worker.RunAsync(stopping.Token);

        _mirror.Source.WriteFile("a", "a");
        worker.Enqueue(new FsChange(FsChangeKind.Modified, "a"));
        var stopwatch = Stopwatch.StartNew();
        while (worker.GetStatus() is not { State: NodeState.Idle, Pending: 0, LastSuccess: not null })
        {
            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
            await Task.Delay(20);
        }

        await Task.Delay(100);
        lock (seen)
        {
            seen.Select(s => s.State).Should().Contain([NodeState.Syncing, NodeState.Retrying, NodeState.Idle]);
            seen[^1].Should().BeEquivalentTo(worker.GetStatus(), "nothing changed after the last event");
        }

        await stopping.CancelAsync();
        await running;
        lock (seen)
        {
            seen[^1].State.Should().Be(NodeState.Stopped);
        }
    }
}
