using System.Diagnostics;
using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Nodes;
using Inosync.Rsync;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;
using Serilog.Events;

namespace Inosync.Tests.Syncing;

/// <summary>The per-node worker with a real ChangeSet and real rsync behind a counting wrapper script.</summary>
[SupportedOSPlatform("linux")]
public sealed class NodeWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private readonly Mirror _mirror = new(nodes: 2);
    private readonly TempTree _wrapperDirectory = new("inosync-rsync-wrapper-");
    private readonly RsyncWrapper _wrapper;
    private readonly LogCapture _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];

    private static NodeWorkerOptions FastOptions { get; } = new()
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(50),
        MaximumRetryDelay = TimeSpan.FromMilliseconds(400),
        StopGrace = TimeSpan.FromSeconds(10),
        TerminateGrace = TimeSpan.FromMilliseconds(500),
    };

    public NodeWorkerTests()
    {
        _wrapper = RsyncWrapper.CreateSteerable(_wrapperDirectory.Root);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(s_timeout);
        _stopping.Dispose();
        _wrapperDirectory.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task Changes_arriving_during_a_run_go_into_one_next_run()
    {
        var worker = Start(0, _wrapper.Path);
        _wrapper.SleepBeforeRun(TimeSpan.FromSeconds(1));
        Write(worker, "first");
        await WaitUntilAsync(() => _wrapper.Runs == 1);

        for (var i = 0; i < 30; i++)
        {
            Write(worker, $"file{i}");
        }

        for (var i = 0; i < 10; i++)
        {
            Write(worker, $"new{i % 2}/file{i}");
        }

        await WaitForSyncedAsync(worker, 0);
        _wrapper.Runs.Should().Be(2, "everything that arrived while the first rsync ran is one batch");
        worker.GetStatus().Should().Match<NodeStatus>(s => s.Batches == 2 && s.RsyncRuns == 2 && s.Failures == 0 && s.PathsSynced > 30);
        _log.MessagesAt(LogEventLevel.Information).Should().Contain(m => m.StartsWith("Synced 1 paths to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extra_delay_collects_changes_before_the_first_run()
    {
        _mirror.Sync = _mirror.Sync with { ExtraDelay = TimeSpan.FromMilliseconds(500) };
        var worker = Start(0, _wrapper.Path);

        Write(worker, "a");
        await Task.Delay(100);
        Write(worker, "b/c");
        await WaitForSyncedAsync(worker, 0);

        _wrapper.Runs.Should().Be(1);
    }

    [Fact]
    public async Task Failing_node_retries_until_it_converges_without_holding_up_the_other_node()
    {
        _wrapper.FailNext(3, 12, "rsync: connection unexpectedly closed (0 bytes received so far) [sender]");
        var failing = Start(0, _wrapper.Path, FastOptions with { InitialRetryDelay = TimeSpan.FromMilliseconds(300), MaximumRetryDelay = TimeSpan.FromSeconds(2) });
        var healthy = Start(1, "/usr/bin/rsync");

        Write([failing, healthy], "a/file");
        await WaitForSyncedAsync(healthy, 1);
        // Under load the failing node's first rsync may still be running when the healthy node is done.
        await WaitUntilAsync(() => failing.GetStatus().ConsecutiveFailures >= 1 || failing.GetStatus().LastSuccess is not null);
        failing.GetStatus().Should().Match<NodeStatus>(s => s.LastSuccess == null && s.ConsecutiveFailures >= 1,
            "the failing node is still backing off while the other is done");
        await WaitUntilAsync(() => failing.GetStatus() is { State: NodeState.Retrying, NextAttempt: not null });

        Write([failing, healthy], "b/second"); // arrives during the backoff: merged into the retried batch
        await WaitForSyncedAsync(failing, 0);
        await WaitForSyncedAsync(healthy, 1);

        var status = failing.GetStatus();
        status.Failures.Should().Be(3);
        status.ConsecutiveFailures.Should().Be(0);
        status.LastError.Should().Match<NodeError>(e => e.ExitCode == 12 && e.Message.StartsWith("rsync: connection unexpectedly closed", StringComparison.Ordinal));
        status.LastSuccess.Should().NotBeNull();
        healthy.GetStatus().Failures.Should().Be(0);
        _log.Events.Should().Contain(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("failed with exit code", StringComparison.Ordinal)
            && e.Properties["ExitCode"].ToString() == "12");
        _log.MessagesAt(LogEventLevel.Information).Should().Contain(m => m.Contains("is back after 3 failed attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_failing_with_partial_transfers_is_dropped_with_an_error_naming_the_paths()
    {
        const string stderr = """
            rsync: [sender] send_files failed to open "/src/a/unreadable": Permission denied (13)
            rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.5.0]
            """;
        _wrapper.FailNext(3, 23, stderr);
        var worker = Start(0, _wrapper.Path, FastOptions with { PartialTransferAttempts = 3 });

        Write(worker, "a/unreadable");
        await WaitUntilAsync(() => worker.GetStatus().DroppedBatches == 1);

        _wrapper.Runs.Should().Be(3);
        _mirror.Node.Exists("a/unreadable").Should().BeFalse("the batch was given up");
        var error = _log.Events.Should().ContainSingle(e => e.Level == LogEventLevel.Error).Subject;
        error.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Contain("/src/a/unreadable").And.Contain("after 3 partial transfers");

        // The node is not blocked: the next change syncs at once.
        Write(worker, "b/next");
        await WaitUntilAsync(() => _mirror.Node.Exists("b/next"));
        _wrapper.Runs.Should().Be(4);
    }

    [Fact]
    public async Task Partial_transfers_the_node_caused_are_retried_until_it_heals_and_never_dropped()
    {
        // What a read-only or immutable node answers (the churn test lost a batch to it): the node's side failed, so
        // the batch must wait for the node, however long that takes.
        const string stderr = """
            rsync: [generator] delete_file: unlink(a/old) failed: Operation not permitted (1)
            rsync: [receiver] mkstemp "/node/a/.new.Xb3kQz" failed: Operation not permitted (1)
            rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]
            """;
        _wrapper.FailNext(5, 23, stderr);
        var worker = Start(0, _wrapper.Path, FastOptions with { PartialTransferAttempts = 2 });

        Write(worker, "a/new");
        await WaitUntilAsync(() => _mirror.Node.Exists("a/new"));

        _wrapper.Runs.Should().Be(6);
        worker.GetStatus().DroppedBatches.Should().Be(0);
        _log.Events.Should().NotContain(e => e.Level == LogEventLevel.Error);
    }

    [Theory]
    [InlineData("rsync: [sender] send_files failed to open \"/src/a\": Permission denied (13)\nrsync error: some files/attrs were not transferred (code 23)", true)]
    [InlineData("file has vanished: \"/src/b\"\nrsync: [sender] read errors mapping \"/src/a\": Input/output error (5)", true)]
    [InlineData("rsync: [sender] send_files failed to open \"/src/a\": Permission denied (13)\nrsync: [receiver] mkstemp \"/n/.a.x\" failed: Read-only file system (30)", false)]
    [InlineData("rsync: [generator] failed to set times on \"/n/.\": Operation not permitted (1)", false)]
    [InlineData("rsync: mkstemp \"/n/.a.x\" failed: Permission denied (13)", false)] // an older remote rsync: no role
    [InlineData("rsync error: some files/attrs were not transferred (code 23)", false)]
    [InlineData("", false)]
    public void Only_sender_errors_count_as_an_unreadable_source(string stderr, bool onlySource) =>
        RsyncErrors.OnlySourceErrors(stderr).Should().Be(onlySource);

    [Fact]
    public async Task An_rsync_left_running_by_a_killed_inosync_is_waited_for_before_the_first_sync()
    {
        // A stand-in for the orphan: not our child, and its command line ends like every rsync for this node.
        var (source, destination) = RsyncCommand.Endpoints(_mirror.Sync, _mirror.NodeConfig);
        int orphan = await StartOrphanAsync(1, source, destination);

        var worker = Start(0, _wrapper.Path, FastOptions with { LeftoverRsyncPatience = TimeSpan.FromSeconds(10) }, initialSync: true);
        await WaitUntilAsync(() => _wrapper.Runs >= 1);

        IsRunning(orphan).Should().BeFalse("the first sync waits for the earlier rsync to finish");
        _log.Messages(LogEventLevel.Warning).Should().Contain(m => m.Contains("left running by an earlier inosync", StringComparison.Ordinal));
        _log.Messages(LogEventLevel.Information).Should().Contain(m => m.Contains("has finished", StringComparison.Ordinal));
        await WaitForSyncedAsync(worker, 0);
    }

    [Fact]
    public async Task An_rsync_left_running_too_long_is_terminated_before_the_first_sync()
    {
        var (source, destination) = RsyncCommand.Endpoints(_mirror.Sync, _mirror.NodeConfig);
        int orphan = await StartOrphanAsync(60, source, destination);

        var worker = Start(0, _wrapper.Path, FastOptions with { LeftoverRsyncPatience = TimeSpan.FromMilliseconds(300) }, initialSync: true);
        await WaitUntilAsync(() => _wrapper.Runs >= 1);

        IsRunning(orphan).Should().BeFalse();
        _log.Messages(LogEventLevel.Warning).Should().Contain(m => m.Contains("terminating it", StringComparison.Ordinal));
        await WaitForSyncedAsync(worker, 0);
    }

    /// <summary>
    /// Starts "sh -c 'sleep N; :' rsync -a SRC/ DST/" in the background of a shell that exits at once, so that it is
    /// reparented like the rsync of a killed daemon; returns its pid.
    /// </summary>
    private static async Task<int> StartOrphanAsync(int seconds, string source, string destination)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        foreach (var argument in new[] { "-c", $"sh -c 'sleep {seconds}; :' rsync -a \"$1\" \"$2\" >/dev/null 2>&1 & echo $!", "sh", source, destination })
        {
            start.ArgumentList.Add(argument);
        }

        using var shell = Process.Start(start)!;
        var pid = int.Parse((await shell.StandardOutput.ReadToEndAsync()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await shell.WaitForExitAsync();
        return pid;
    }

    private static bool IsRunning(int pid) => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z";

    [Fact]
    public async Task Stop_lets_the_running_rsync_finish_then_syncs_what_is_pending()
    {
        _wrapper.SleepBeforeRun(TimeSpan.FromMilliseconds(700));
        using var stopping = new CancellationTokenSource();
        var worker = Create(0, _wrapper.Path, FastOptions);
        var run = worker.RunAsync(stopping.Token);
        Write(worker, "first");
        await WaitUntilAsync(() => _wrapper.Runs == 1);
        Write(worker, "pending/at/stop");

        await stopping.CancelAsync();
        await run.WaitAsync(s_timeout);

        _mirror.AssertInSync(0);
        _wrapper.Runs.Should().Be(2);
        worker.GetStatus().Should().Match<NodeStatus>(s => s.State == NodeState.Stopped && s.Pending == 0 && s.Failures == 0);
    }

    [Fact]
    public async Task Stop_terminates_an_rsync_that_outlives_the_grace_period()
    {
        _wrapper.SleepBeforeRun(TimeSpan.FromSeconds(60));
        using var stopping = new CancellationTokenSource();
        var worker = Create(0, _wrapper.Path, FastOptions with { StopGrace = TimeSpan.FromMilliseconds(300), TerminateGrace = TimeSpan.FromMilliseconds(300) });
        var run = worker.RunAsync(stopping.Token);
        Write(worker, "stuck");
        await WaitUntilAsync(() => _wrapper.Runs == 1);

        var stopwatch = Stopwatch.StartNew();
        await stopping.CancelAsync();
        await run.WaitAsync(s_timeout);

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        _wrapper.Runs.Should().Be(2, "the killed batch is tried once more as the final batch");
        _log.MessagesAt(LogEventLevel.Error).Should().ContainSingle(m => m.Contains("were not synced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pretend_runs_no_rsync_and_logs_the_commands()
    {
        var worker = Start(0, _wrapper.Path, FastOptions with { Pretend = true });
        _mirror.Source.CreateDirectory("a");

        Write(worker, "a/b c", announceDirectories: false);
        await WaitUntilAsync(() => worker.GetStatus() is { Batches: 1, State: NodeState.Idle, LastSuccess: not null });

        _wrapper.Runs.Should().Be(0);
        _mirror.Node.Exists("a").Should().BeFalse();
        worker.GetStatus().RsyncRuns.Should().Be(0);
        var messages = _log.MessagesAt(LogEventLevel.Information).ToList();
        messages.Should().Contain(m => m.StartsWith("Pretend: would sync", StringComparison.Ordinal)
            && m.Contains(@"printf '%s\0' ./a './a/b c' | " + _wrapper.Path + " -a --dirs", StringComparison.Ordinal));
        messages.Should().Contain(m => m.StartsWith("Pretend: file list", StringComparison.Ordinal) && m.Contains("a/b c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Full_sync_is_logged_with_files_and_bytes()
    {
        _mirror.Source.WriteFile("x/y", "12345");
        _mirror.Source.WriteFile("z", "678");
        var worker = Start(0, "/usr/bin/rsync", initialSync: true);

        await WaitForSyncedAsync(worker, 0);

        _log.MessagesAt(LogEventLevel.Information).Should().Contain(m => m.StartsWith("Full sync of", StringComparison.Ordinal) && m.EndsWith("started", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("finished in", StringComparison.Ordinal) && m.EndsWith(": 2 files, 8 bytes transferred", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_rsync_is_reported_and_retried()
    {
        var worker = Start(0, "/nonexistent/rsync");

        Write(worker, "a");
        await WaitUntilAsync(() => worker.GetStatus().Failures >= 2);

        worker.GetStatus().LastError!.Message.Should().Be("rsync not found at /nonexistent/rsync");
        _log.MessagesAt(LogEventLevel.Error).Should().Contain(m => m.Contains("rsync not found at /nonexistent/rsync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_converges_after_renames_deletes_and_replacements()
    {
        // The watcher's events for real operations, through the real ChangeSet and real rsync.
        var source = _mirror.Source;
        source.WriteFile("keep/file", "k");
        source.WriteFile("dir]1/sub/file", "1");
        source.WriteFile("back\\slash/tree/deep/file", "2");
        source.WriteFile("becomes-file/inner", "3");
        source.WriteFile("plain", "4");
        var worker = Start(0, "/usr/bin/rsync", initialSync: true);
        await WaitForSyncedAsync(worker, 0);

        Directory.Move(source.PathOf("dir]1"), source.PathOf("renamed [1]"));
        worker.Enqueue(new FsChange(FsChangeKind.Renamed, "renamed [1]", IsDirectory: true, OldPath: "dir]1"));
        source.Delete("back\\slash/tree");
        worker.Enqueue(new FsChange(FsChangeKind.Deleted, "back\\slash/tree", IsDirectory: true));
        source.Delete("becomes-file");
        worker.Enqueue(new FsChange(FsChangeKind.Deleted, "becomes-file", IsDirectory: true));
        source.WriteFile("becomes-file", "now a file");
        worker.Enqueue(new FsChange(FsChangeKind.Modified, "becomes-file"));
        source.Delete("plain");
        worker.Enqueue(new FsChange(FsChangeKind.Deleted, "plain"));
        source.WriteFile("renamed [1]/sub/new*file", "5");
        worker.Enqueue(new FsChange(FsChangeKind.Modified, "renamed [1]/sub/new*file"));

        await WaitForSyncedAsync(worker, 0);
    }

    [Fact]
    public async Task Idle_worker_has_no_timer_running()
    {
        var time = new TimerCountingTimeProvider();
        var worker = new NodeWorker(_mirror.Sync, _mirror.NodeConfigs[0], new CoalescerOptions(), FastOptions, _log.Logger, time);
        _running.Add(worker.RunAsync(_stopping.Token));
        Write(worker, "a");
        await WaitForSyncedAsync(worker, 0);

        time.ActiveTimers.Should().Be(0, "an idle worker waits on a signal, not a timer");
    }

    private NodeWorker Create(int node, string rsyncPath, NodeWorkerOptions? options = null) =>
        new(_mirror.Sync with { RsyncPath = rsyncPath }, _mirror.NodeConfigs[node], new CoalescerOptions(), options ?? FastOptions, _log.Logger, TimeProvider.System);

    private NodeWorker Start(int node, string rsyncPath, NodeWorkerOptions? options = null, bool initialSync = false)
    {
        var worker = Create(node, rsyncPath, options);
        if (initialSync)
        {
            worker.RequestFullSync();
        }

        _running.Add(worker.RunAsync(_stopping.Token));
        return worker;
    }

    private void Write(NodeWorker worker, string path, bool announceDirectories = true) => Write([worker], path, announceDirectories);

    private void Write(NodeWorker[] workers, string path, bool announceDirectories = true)
    {
        _mirror.Source.WriteFile(path, path);
        foreach (var worker in workers)
        {
            // What the watcher would report: the new directories, then the file.
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            while (announceDirectories && slash > 0)
            {
                worker.Enqueue(new FsChange(FsChangeKind.DirectoryCreated, path[..slash], IsDirectory: true));
                slash = path.IndexOf('/', slash + 1);
            }

            worker.Enqueue(new FsChange(FsChangeKind.Modified, path));
        }
    }

    private async Task WaitForSyncedAsync(NodeWorker worker, int node)
    {
        await WaitUntilAsync(() => worker.GetStatus() is { State: NodeState.Idle, Pending: 0 }
            && TreeComparer.Differences(_mirror.Source.Root, _mirror.Nodes[node].Root).Count == 0);
        _mirror.AssertInSync(node);
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > s_timeout)
            {
                throw new TimeoutException("Condition not met. Log:\n" + string.Join("\n", _log.Messages()));
            }

            await Task.Delay(20);
        }
    }
}
