using System.Runtime.Versioning;
using System.Threading.Channels;
using Inosync.Pipeline;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Tests.Syncing;
using Inosync.Watching;
using Serilog.Events;

namespace Inosync.Tests.Pipeline;

/// <summary>The dispatcher between the channel and the workers: one bad change must not end it.</summary>
[SupportedOSPlatform("linux")]
public sealed class DispatcherTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly Mirror _mirror = new();
    private readonly LogCapture _log = new();

    public void Dispose() => _mirror.Dispose();

    [Fact]
    public async Task A_change_that_fails_to_dispatch_is_logged_repaired_by_a_full_sync_and_the_next_changes_still_flow()
    {
        var watcher = new HandFedWatcher();
        await using var pipeline = new SyncPipeline(_mirror.Sync with { InitialSync = false }, new PipelineOptions(_log.Logger, Pretend: false), watcher);
        await pipeline.WatchAsync(CancellationToken.None);
        pipeline.StartSyncing();

        // A change no watcher should ever produce (a bug): dispatching it throws.
        _mirror.Source.WriteFile("before.txt", "1");
        await watcher.EmitAsync(new FsChange(FsChangeKind.Modified, null!));
        (await Eventually.TrueWithinAsync(() => _mirror.Node.Exists("before.txt"), s_timeout)).Should().BeTrue("the full sync after the error carries what was lost");
        _log.MessagesAt(LogEventLevel.Error).Should().ContainSingle(m => m.Contains("Dispatching the change", StringComparison.Ordinal));

        _mirror.Source.WriteFile("after.txt", "2");
        await watcher.EmitAsync(new FsChange(FsChangeKind.Modified, "after.txt"));
        (await Eventually.TrueWithinAsync(() => _mirror.Node.Exists("after.txt"), s_timeout)).Should().BeTrue("the dispatcher keeps reading after one bad change");
    }

    /// <summary>A watcher whose changes the test writes: the only way to hand the dispatcher a change no real watcher makes.</summary>
    private sealed class HandFedWatcher : IChangeWatcher
    {
        private readonly TaskCompletionSource _completion = new();
        private ChannelWriter<FsChange>? _output;

        public int WatchCount => 1;

        public Task Completion => _completion.Task;

        public Task<int> StartAsync(ChannelWriter<FsChange> output, CancellationToken cancellationToken)
        {
            _output = output;
            return Task.FromResult(1);
        }

        public ValueTask EmitAsync(FsChange change) => _output!.WriteAsync(change);

        public ValueTask DisposeAsync()
        {
            _completion.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
