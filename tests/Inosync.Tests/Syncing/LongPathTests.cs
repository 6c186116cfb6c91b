using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Nodes;
using Inosync.Rsync;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;
using Serilog.Events;

namespace Inosync.Tests.Syncing;

/// <summary>
/// A path longer than rsync's limit (4096 bytes) below wpath: it cannot be synced, ever. Real rsync, a real tree built
/// deeper than PATH_MAX by moving a deep directory into another one.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LongPathTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private static readonly string s_level = new('d', 200);

    private readonly Mirror _mirror = new();
    private readonly LogCapture _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    // Ten levels of 200-byte names: 2,010 bytes.
    private static string Chain => string.Join('/', Enumerable.Repeat(s_level, 10));

    public Task InitializeAsync()
    {
        // long/<chain>/deep/<chain>/<level>/too-deep.txt: 4,245 bytes, built as two halves that each fit.
        _mirror.Source.WriteFile("ok.txt", "ok");
        Directory.CreateDirectory(_mirror.Source.PathOf("long/" + Chain));
        _mirror.Source.WriteFile("deep/" + Chain + "/" + s_level + "/too-deep.txt", "x");
        Directory.Move(_mirror.Source.PathOf("deep"), _mirror.Source.PathOf("long/" + Chain + "/deep"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(s_timeout);

        // Back within PATH_MAX, so that the trees can be deleted by path.
        foreach (var tree in new[] { _mirror.Source, _mirror.Node })
        {
            if (Directory.Exists(tree.PathOf("long/" + Chain + "/deep")))
            {
                Directory.Move(tree.PathOf("long/" + Chain + "/deep"), tree.PathOf("deep"));
            }
        }

        _stopping.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task A_path_longer_than_PATH_MAX_is_reported_once_and_everything_else_keeps_syncing_with_the_node_healthy()
    {
        var worker = new NodeWorker(_mirror.Sync, _mirror.NodeConfig, new CoalescerOptions(), new NodeWorkerOptions(), _log.Logger, TimeProvider.System);
        worker.RequestFullSync();
        _running = worker.RunAsync(_stopping.Token);

        await worker.FirstFullSyncCompleted.WaitAsync(s_timeout);
        File.ReadAllText(_mirror.Node.PathOf("ok.txt")).Should().Be("ok");
        Directory.Exists(_mirror.Node.PathOf("long/" + Chain + "/deep")).Should().BeTrue("everything up to the limit is synced");

        _mirror.Source.WriteFile("later.txt", "later");
        worker.Enqueue(new FsChange(FsChangeKind.Modified, "later.txt"));
        worker.RequestFullSync();
        await Eventually.TrueWithinAsync(() => _mirror.Node.Exists("later.txt") && worker.GetStatus().State == NodeState.Idle, s_timeout);

        NodeStatus status = worker.GetStatus();
        status.ConsecutiveFailures.Should().Be(0, "a name rsync can never send must not keep the node failing");
        status.Failures.Should().Be(0);
        status.Warning.Should().StartWith("1 paths longer than 4096 bytes cannot be synced (first: long/ddd");
        _log.MessagesAt(LogEventLevel.Warning).Should().ContainSingle(m => m.Contains("cannot be synced", StringComparison.Ordinal), "reported once, not at every full sync");

        // Gone from the source: the next clean full sync clears the warning.
        Directory.Move(_mirror.Source.PathOf("long/" + Chain + "/deep"), _mirror.Source.PathOf("deep"));
        Directory.Delete(_mirror.Source.PathOf("deep"), recursive: true);
        worker.RequestFullSync();
        (await Eventually.TrueWithinAsync(() => worker.GetStatus().Warning is null, s_timeout)).Should().BeTrue(string.Join('\n', _log.Messages()));
    }

    [Theory]
    [InlineData("filename overflows max-path len by 125: long/dd/deep/dd/too-deep.txt\nIO error encountered -- skipping file deletion\nrsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]", "long/dd/deep/dd/too-deep.txt")]
    [InlineData("rsync: [sender] link_stat \"/proc/self/fd/7/a/b\" failed: File name too long (36)\nrsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]", "/proc/self/fd/7/a/b")]
    [InlineData("filename overflows max-path len by 1: a\nrsync: [sender] send_files failed to open \"/src/b\": Permission denied (13)", null)]
    [InlineData("rsync: [receiver] mkstemp \"/n/.a.x\" failed: No space left on device (28)", null)]
    [InlineData("IO error encountered -- skipping file deletion", null)]
    [InlineData("", null)]
    public void Names_too_long_count_as_unsendable_only_when_nothing_else_went_wrong(string stderr, string? path)
    {
        IReadOnlyList<string>? names = RsyncErrors.UnsendableNames(stderr);

        if (path is null)
        {
            names.Should().BeNull();
        }
        else
        {
            names.Should().Equal(path);
        }
    }
}
