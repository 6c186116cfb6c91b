using System.Runtime.Versioning;
using System.Threading.Channels;
using Inosync.Cli.Hosting;
using Inosync.Pipeline;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Tests.Syncing;
using Inosync.Watching;
using Serilog.Events;

namespace Inosync.Tests.Hosting;

/// <summary>While the watches are set on a big tree, the log says every 5 s how many so far and how fast.</summary>
[SupportedOSPlatform("linux")]
public sealed class StartupProgressTests : IDisposable
{
    private readonly Mirror _mirror = new();
    private readonly LogCapture _log = new();
    private readonly TimerCountingTimeProvider _time = new();

    public void Dispose() => _mirror.Dispose();

    [Fact]
    public async Task The_walk_reports_the_directories_watched_so_far_every_five_seconds_and_stops_when_asked()
    {
        var watcher = new CountingWatcher { WatchCount = 12_000 };
        await using var pipeline = new SyncPipeline(_mirror.Sync, new PipelineOptions(_log.Logger, Pretend: false), watcher);
        var progress = new StartupProgress([pipeline], _log.Logger, _time);

        await Eventually.TrueWithinAsync(() => _time.ActiveTimers == 1, TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(100);
        _log.MessagesAt(LogEventLevel.Information).Should().BeEmpty("nothing before the first 5 seconds");

        _time.Advance(TimeSpan.FromSeconds(1));
        (await Eventually.TrueWithinAsync(() => _log.MessagesAt(LogEventLevel.Information).Count == 1, TimeSpan.FromSeconds(10))).Should().BeTrue();
        watcher.WatchCount = 30_000;
        _time.Advance(TimeSpan.FromSeconds(5));
        (await Eventually.TrueWithinAsync(() => _log.MessagesAt(LogEventLevel.Information).Count == 2, TimeSpan.FromSeconds(10))).Should().BeTrue();
        await progress.DisposeAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(100);

        _log.MessagesAt(LogEventLevel.Information).Should().Equal(
            "Starting: 12000 directories watched so far (2400 per second)",
            "Starting: 30000 directories watched so far (3000 per second)");
        _time.ActiveTimers.Should().Be(0);
    }

    /// <summary>A watcher that is still walking: it never finishes starting, and counts what the test says.</summary>
    private sealed class CountingWatcher : IChangeWatcher
    {
        public int WatchCount { get; set; }

        public Task Completion { get; } = new TaskCompletionSource().Task;

        public Task<int> StartAsync(ChannelWriter<FsChange> output, CancellationToken cancellationToken) => new TaskCompletionSource<int>().Task;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
