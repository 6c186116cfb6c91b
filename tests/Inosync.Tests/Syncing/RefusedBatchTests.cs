using Inosync.Coalescing;
using Inosync.Nodes;
using Inosync.Rsync;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;

namespace Inosync.Tests.Syncing;

/// <summary>A batch refused before anything runs (wpath no longer names the watched directory) waits out the backoff like any failure.</summary>
public sealed class RefusedBatchTests : IAsyncLifetime
{
    private readonly Mirror _mirror = new();
    private readonly LogCapture _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private PinnedSource? _source;
    private Task _running = Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(60));
        _source?.Dispose();
        _stopping.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task A_refused_batch_is_retried_after_the_backoff_delay_not_in_a_busy_loop()
    {
        string watchPath = _mirror.Source.CreateDirectory("www");
        _source = PinnedSource.Open(watchPath);
        var sync = _mirror.Sync with { WatchPath = watchPath };
        var options = new NodeWorkerOptions { InitialRetryDelay = TimeSpan.FromSeconds(1), MaximumRetryDelay = TimeSpan.FromSeconds(1) };
        var worker = new NodeWorker(sync, _mirror.NodeConfig, new CoalescerOptions(), options, _log.Logger, TimeProvider.System, _source);

        // The watched directory moves away and another takes its path: nothing may be read from that path any more.
        Directory.Move(watchPath, watchPath + ".old");
        Directory.CreateDirectory(watchPath);
        _running = worker.RunAsync(_stopping.Token);
        worker.Enqueue(new FsChange(FsChangeKind.Modified, "f"));
        (await Eventually.TrueWithinAsync(() => worker.GetStatus().Failures > 0, TimeSpan.FromSeconds(10))).Should().BeTrue();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        NodeStatus status = worker.GetStatus();
        status.Failures.Should().Be(1, "the next attempt is due a second after the first");
        status.State.Should().Be(NodeState.Retrying);
        status.NextAttempt.Should().NotBeNull();
        status.LastError!.Message.Should().Contain("wpath no longer names the watched directory");
    }
}
