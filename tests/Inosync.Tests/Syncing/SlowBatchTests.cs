using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Nodes;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;

namespace Inosync.Tests.Syncing;

/// <summary>slow_batch: a batch that runs far longer than expected makes the node count as failing until it ends.</summary>
[SupportedOSPlatform("linux")]
public sealed class SlowBatchTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly Mirror _mirror = new();
    private readonly TempTree _wrapperDirectory = new("inosync-rsync-wrapper-");
    private readonly LogCapture _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(s_timeout);
        _stopping.Dispose();
        _wrapperDirectory.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task A_batch_running_longer_than_slow_batch_marks_the_node_slow_until_it_ends()
    {
        var wrapper = RsyncWrapper.CreateSteerable(_wrapperDirectory.Root);
        wrapper.SleepBeforeRun(TimeSpan.FromSeconds(3));
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sync = _mirror.Sync with { RsyncPath = wrapper.Path, SlowBatch = TimeSpan.FromMinutes(10) };
        var worker = new NodeWorker(sync, _mirror.NodeConfig, new CoalescerOptions(), new NodeWorkerOptions(), _log.Logger, time);
        _running = worker.RunAsync(_stopping.Token);

        _mirror.Source.WriteFile("a.txt", "a");
        worker.Enqueue(new FsChange(FsChangeKind.Modified, "a.txt"));
        (await Eventually.TrueWithinAsync(() => wrapper.Runs == 1, s_timeout)).Should().BeTrue();
        time.Advance(TimeSpan.FromMinutes(9));
        worker.GetStatus().Should().Match<NodeStatus>(s => s.State == NodeState.Syncing && !s.Slow && s.BatchStarted == new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        time.Advance(TimeSpan.FromMinutes(2));
        worker.GetStatus().Slow.Should().BeTrue("the batch has run 11 minutes, longer than slow_batch");
        _log.MessagesAt(LogEventLevel.Warning).Should().ContainSingle(m => m.Contains("still running after", StringComparison.Ordinal));

        (await Eventually.TrueWithinAsync(() => worker.GetStatus().State == NodeState.Idle, s_timeout)).Should().BeTrue();
        worker.GetStatus().Should().Match<NodeStatus>(s => !s.Slow && s.BatchStarted == null && s.ConsecutiveFailures == 0);
        File.ReadAllText(_mirror.Node.PathOf("a.txt")).Should().Be("a");
    }
}
