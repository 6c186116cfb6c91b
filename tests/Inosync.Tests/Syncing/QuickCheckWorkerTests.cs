using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Nodes;
using Inosync.Processes;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;

namespace Inosync.Tests.Syncing;

/// <summary>When a node worker's narrow batches trust rsync's quick check, and when they compare checksums: a real
/// worker, real rsync behind a wrapper that logs each run's arguments.</summary>
[SupportedOSPlatform("linux")]
public sealed class QuickCheckWorkerTests : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private readonly Mirror _mirror = new();
    private readonly TempTree _wrapperDirectory = new("inosync-rsync-wrapper-");
    private readonly RsyncWrapper _wrapper;
    private readonly LogCapture _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly NodeWorker _worker;
    private readonly Task _running;

    public QuickCheckWorkerTests()
    {
        _wrapper = RsyncWrapper.CreateSteerable(_wrapperDirectory.Root);
        var options = new NodeWorkerOptions { InitialRetryDelay = TimeSpan.FromMilliseconds(50), TerminateGrace = TimeSpan.FromMilliseconds(500) };
        _worker = new NodeWorker(_mirror.Sync with { RsyncPath = _wrapper.Path }, _mirror.NodeConfig, new CoalescerOptions(), options, _log.Logger, TimeProvider.System);
        _running = _worker.RunAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(s_timeout);
        _stopping.Dispose();
        _wrapperDirectory.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task A_file_written_after_the_last_run_goes_out_with_the_quick_check()
    {
        // The big-file case: an append to a file the node has must not read both copies in full before the delta.
        string path = _mirror.Source.WriteFile("big/file", new string('x', 100_000));
        _worker.Enqueue(new FsChange(FsChangeKind.Modified, "big/file"));
        await WaitForSyncedAsync(runs: 1);
        await Task.Delay(50); // past the run's window, by more than a clock tick

        await File.AppendAllTextAsync(path, "appended");
        _worker.Enqueue(new FsChange(FsChangeKind.Modified, "big/file"));
        await WaitForSyncedAsync(runs: 2);

        _wrapper.RunArguments[1].Should().Contain("--modify-window=-1").And.NotContain("--checksum");
    }

    [Fact]
    public async Task A_same_size_rewrite_keeping_the_mtime_a_run_just_sent_is_compared_by_checksum()
    {
        // Two writes within one clock tick, made deterministic: the run reads the file while its mtime is fresh, then
        // the file gets other bytes of the same size and that very mtime (touch -r copies the nanoseconds).
        _wrapper.SleepBeforeRun(TimeSpan.FromSeconds(1));
        string path = _mirror.Source.WriteFile("hot/file", "AAAA");
        _worker.Enqueue(new FsChange(FsChangeKind.Modified, "hot/file"));
        (await Eventually.TrueWithinAsync(() => _wrapper.Runs == 1, s_timeout)).Should().BeTrue("the first run starts");
        await File.WriteAllTextAsync(path, "CCCC"); // while the wrapper sleeps: the mtime falls inside the run
        await WaitForSyncedAsync(runs: 1);
        _wrapper.SleepBeforeRun(TimeSpan.Zero);

        await File.WriteAllTextAsync(path, "BBBB");
        await RunAsync("/usr/bin/touch", "-m", "-r", _mirror.Node.PathOf("hot/file"), path);
        _worker.Enqueue(new FsChange(FsChangeKind.Modified, "hot/file"));
        await WaitForSyncedAsync(runs: 2);

        File.ReadAllText(_mirror.Node.PathOf("hot/file")).Should().Be("BBBB");
        _wrapper.RunArguments[1].Should().Contain("--checksum");
    }

    private async Task WaitForSyncedAsync(int runs)
    {
        bool synced = await Eventually.TrueWithinAsync(
            () => _wrapper.Runs == runs && _worker.GetStatus() is { State: NodeState.Idle, Pending: 0 }
                && TreeComparer.Differences(_mirror.Source.Root, _mirror.Node.Root).Count == 0,
            s_timeout);
        synced.Should().BeTrue("run {0} converges; log:\n{1}", runs, string.Join("\n", _log.Messages()));
        _mirror.AssertInSync();
    }

    private static async Task RunAsync(string fileName, params string[] arguments)
    {
        var result = await new ProcessRunner(TimeSpan.FromSeconds(1)).RunAsync(fileName, arguments, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        result.ExitCode.Should().Be(0, result.StandardError);
    }
}
