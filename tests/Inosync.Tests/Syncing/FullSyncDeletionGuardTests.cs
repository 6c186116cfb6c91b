using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Nodes;
using Inosync.Rsync;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;
using Serilog.Events;

namespace Inosync.Tests.Syncing;

/// <summary>
/// A full sync never empties a node because its source looks empty (an unmounted wpath), and the first full sync
/// after start deletes at most max_delete entries. Real rsync, local nodes.
/// </summary>
public sealed class FullSyncDeletionGuardTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private static readonly NodeWorkerOptions s_options = new()
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(50),
        MaximumRetryDelay = TimeSpan.FromMilliseconds(200),
        StopGrace = TimeSpan.FromSeconds(10),
        TerminateGrace = TimeSpan.FromMilliseconds(500),
    };

    private readonly Mirror _mirror = new();
    private readonly LogCapture _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(s_timeout);
        }

        _stopping.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task An_empty_source_deletes_nothing_on_the_node_and_says_why()
    {
        for (int i = 0; i < 21; i++)
        {
            _mirror.Node.WriteFile($"f{i}", "data");
        }

        // A long cap: the backoff is far from it while the test looks, so the reason is said on the first refusal only.
        NodeWorker worker = StartWithFullSync(_mirror.Sync, s_options with { MaximumRetryDelay = TimeSpan.FromSeconds(30) });

        await WaitUntilAsync(() => worker.GetStatus() is { Failures: >= 2 });
        Directory.GetFiles(_mirror.Node.Root).Should().HaveCount(21, "an empty wpath is what an unmounted file system looks like");
        worker.GetStatus().Should().Match<NodeStatus>(s => s.State == NodeState.Retrying && s.LastError!.ExitCode == 25);
        _log.MessagesAt(LogEventLevel.Error).Should().Contain(m =>
            m.StartsWith($"Full sync of \"{_mirror.Node.Root}\" deleted nothing: wpath \"{_mirror.Source.Root}\" is empty (is its file system mounted?)", StringComparison.Ordinal));
        _log.MessagesAt(LogEventLevel.Error).Count(m => m.Contains("deleted nothing", StringComparison.Ordinal)).Should().Be(1, "said once, not at every retry");
    }

    [Fact]
    public async Task The_first_full_sync_deletes_at_most_max_delete_entries()
    {
        _mirror.Source.WriteFile("keep", "data");
        for (int i = 0; i < 5; i++)
        {
            _mirror.Node.WriteFile($"gone{i}", "data");
        }

        NodeWorker worker = StartWithFullSync(_mirror.Sync with { MaxDelete = 2 });

        await WaitUntilAsync(() => worker.GetStatus() is { Failures: >= 1 });
        Directory.GetFiles(_mirror.Node.Root).Select(Path.GetFileName).Should().Contain("keep").And.HaveCount(4, "two of five were deleted, then rsync stopped");
        _log.MessagesAt(LogEventLevel.Error).Should().Contain(m => m.Contains("stopped deleting after 2 entries (max_delete)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_max_delete_off_and_after_the_first_full_sync_deletions_are_not_capped()
    {
        _mirror.Source.WriteFile("keep", "data");
        for (int i = 0; i < 5; i++)
        {
            _mirror.Node.WriteFile($"gone{i}", "data");
        }

        NodeWorker worker = StartWithFullSync(_mirror.Sync with { MaxDelete = null });
        await WaitUntilAsync(() => worker.FirstFullSyncCompleted.IsCompleted && worker.GetStatus() is { State: NodeState.Idle });
        Directory.GetFiles(_mirror.Node.Root).Should().ContainSingle();

        // A later full sync (a queue overflow after a large rm -r) is not capped even with a limit set.
        for (int i = 0; i < 5; i++)
        {
            _mirror.Node.WriteFile($"again{i}", "data");
        }

        worker.RequestFullSync();
        await WaitUntilAsync(() => Directory.GetFiles(_mirror.Node.Root).Length == 1);
        worker.GetStatus().Failures.Should().Be(0);
    }

    [Fact]
    public void Only_full_syncs_carry_the_limit()
    {
        RsyncCommand.Create(Mirror.Full, _mirror.Sync, _mirror.NodeConfig, maxDelete: 1000).Arguments.Should().Contain("--max-delete=1000");
        RsyncCommand.Create(Mirror.Full, _mirror.Sync, _mirror.NodeConfig, maxDelete: null).Arguments.Should().NotContain(a => a.StartsWith("--max-delete", StringComparison.Ordinal));
        RsyncCommand.Create(Mirror.Batch(Mirror.Recursive("d")), _mirror.Sync, _mirror.NodeConfig, maxDelete: 0).Arguments
            .Should().NotContain(a => a.StartsWith("--max-delete", StringComparison.Ordinal));
    }

    private NodeWorker StartWithFullSync(SyncConfig sync, NodeWorkerOptions? options = null)
    {
        var worker = new NodeWorker(sync, _mirror.NodeConfig, new CoalescerOptions(), options ?? s_options, _log.Logger, TimeProvider.System);
        worker.RequestFullSync();
        _running = worker.RunAsync(_stopping.Token);
        return worker;
    }

    private async Task WaitUntilAsync(Func<bool> condition) =>
        (await Eventually.TrueWithinAsync(condition, s_timeout)).Should().BeTrue("Log:\n" + string.Join("\n", _log.Messages()));
}
