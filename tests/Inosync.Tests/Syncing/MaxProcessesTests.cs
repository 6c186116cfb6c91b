using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Nodes;
using Inosync.Processes;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;

namespace Inosync.Tests.Syncing;

/// <summary>max_processes with real workers and real rsync: a wrapper that notices when two of its runs overlap.</summary>
[SupportedOSPlatform("linux")]
public sealed class MaxProcessesTests : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly Mirror _mirror = new(nodes: 3);
    private readonly TempTree _wrapperDirectory = new("inosync-rsync-wrapper-");
    private readonly LogCapture _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ProcessSlots _slots = new(1);
    private readonly List<Task> _running = [];
    private readonly string _wrapper;

    public MaxProcessesTests()
    {
        // mkdir is atomic: a run that cannot make the lock directory overlaps another. Each run takes 300 ms.
        string lockDirectory = _wrapperDirectory.PathOf("running");
        _wrapper = _wrapperDirectory.WriteFile("rsync.sh", $"""
            #!/bin/sh
            if mkdir '{lockDirectory}' 2>/dev/null; then echo run >> '{_wrapperDirectory.PathOf("log")}'; else echo overlap >> '{_wrapperDirectory.PathOf("log")}'; fi
            sleep 0.3
            {RsyncWrapper.RealRsync} "$@"; code=$?
            rmdir '{lockDirectory}' 2>/dev/null
            exit $code

            """);
        File.SetUnixFileMode(_wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(s_timeout);
        _stopping.Dispose();
        _slots.Dispose();
        _wrapperDirectory.Dispose();
        _mirror.Dispose();
    }

    private string[] WrapperLog => File.Exists(_wrapperDirectory.PathOf("log")) ? File.ReadAllLines(_wrapperDirectory.PathOf("log")) : [];

    [Fact]
    public async Task Nodes_share_the_slots_one_rsync_at_a_time_and_a_waiting_node_keeps_merging()
    {
        NodeWorker[] workers = [.. Enumerable.Range(0, 3).Select(Start)];
        var sawWaiting = new bool[3];
        for (int round = 0; round < 10; round++)
        {
            _mirror.Source.WriteFile($"f{round}", $"round {round}");
            foreach (NodeWorker worker in workers)
            {
                worker.Enqueue(new FsChange(FsChangeKind.Modified, $"f{round}"));
            }

            for (int i = 0; i < 3; i++)
            {
                sawWaiting[i] |= workers[i].GetStatus().State == NodeState.Waiting;
            }

            await Task.Delay(50);
        }

        bool converged = await Eventually.TrueWithinAsync(
            () => workers.All(w => w.GetStatus() is { State: NodeState.Idle, Pending: 0 })
                && Enumerable.Range(0, 3).All(n => TreeComparer.Differences(_mirror.Source.Root, _mirror.Nodes[n].Root).Count == 0),
            s_timeout);
        converged.Should().BeTrue("every node converges; log:\n{0}", string.Join("\n", _log.Messages()));
        for (int n = 0; n < 3; n++)
        {
            _mirror.AssertInSync(n);
        }

        WrapperLog.Should().NotContain("overlap").And.NotBeEmpty();

        // Ten changes per node in 0.5 s, against 0.9 s for one round of three 0.3 s runs: each node's changes merged while
        // it waited, far from one run per change.
        WrapperLog.Length.Should().BeLessThan(15);
        sawWaiting.Should().Contain(true, "a node that waits for the slot says so in its status");
        _slots.InUse.Should().Be(0);
    }

    private NodeWorker Start(int node)
    {
        var options = new NodeWorkerOptions { Slots = _slots, InitialRetryDelay = TimeSpan.FromMilliseconds(50), TerminateGrace = TimeSpan.FromMilliseconds(500) };
        var worker = new NodeWorker(_mirror.Sync with { RsyncPath = _wrapper }, _mirror.NodeConfigs[node], new CoalescerOptions(), options, _log.Logger, TimeProvider.System);
        _running.Add(worker.RunAsync(_stopping.Token));
        return worker;
    }
}
