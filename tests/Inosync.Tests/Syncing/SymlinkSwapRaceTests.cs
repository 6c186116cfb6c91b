using Inosync.Coalescing;
using Inosync.Nodes;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Watching;

namespace Inosync.Tests.Syncing;

/// <summary>
/// A user who can rename inside the watched tree swaps a directory for a symlink to a secret directory outside it,
/// over and over, while inosync syncs a file below that directory: nothing from outside the tree may reach the node.
/// Real rsync, a real NodeWorker, renameat2(RENAME_EXCHANGE) in a tight loop.
/// </summary>
public sealed class SymlinkSwapRaceTests : IAsyncLifetime
{
    private const int Rounds = 100;
    private const uint RenameExchange = 2;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    // rsync often meets the directory mid-swap and exits 23 or 24: retry at once, the race is the point.
    private static readonly NodeWorkerOptions s_options = new()
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(10),
        MaximumRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    private readonly Mirror _mirror = new();
    private readonly TempTree _outside = new("inosync-secret-");
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
        _outside.Dispose();
        _mirror.Dispose();
    }

    [Fact]
    public async Task A_parent_swapped_for_a_symlink_never_makes_rsync_read_outside_the_tree()
    {
        // A tree other users can write in (as /srv/upload often is): they can rename anything in it.
        File.SetUnixFileMode(_mirror.Source.Root, (UnixFileMode)0x1FF);
        _outside.WriteFile("passwd", "SECRET");
        string dir = _mirror.Source.CreateDirectory("a");
        _mirror.Source.WriteFile("a/passwd", "tree");
        File.CreateSymbolicLink(_mirror.Source.PathOf("a.swap"), _outside.Root);

        var worker = new NodeWorker(_mirror.Sync, _mirror.NodeConfig, new CoalescerOptions(), s_options, _log.Logger, TimeProvider.System);
        _running = worker.RunAsync(_stopping.Token);

        using var swapping = new CancellationTokenSource();
        Task swapper = Task.Run(() =>
        {
            while (!swapping.IsCancellationRequested)
            {
                Interop.Libc.RenameAt2(Interop.Libc.AT_FDCWD, dir, Interop.Libc.AT_FDCWD, dir + ".swap", RenameExchange);
            }
        });

        var leaks = new List<int>();
        for (int round = 0; round < Rounds; round++)
        {
            long batchesBefore = worker.GetStatus().Batches;
            worker.Enqueue(new FsChange(FsChangeKind.Modified, "a/passwd"));
            await WaitUntilAsync(() => worker.GetStatus() is { State: NodeState.Idle, Pending: 0 } status && status.Batches > batchesBefore);
            if (NodeHoldsSecret())
            {
                leaks.Add(round);
            }
        }

        await swapping.CancelAsync();
        await swapper;

        leaks.Should().BeEmpty("a file outside the watched tree reached the node");
    }

    private bool NodeHoldsSecret() =>
        Directory.EnumerateFiles(_mirror.Node.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Any(file => new FileInfo(file).LinkTarget is null && File.ReadAllText(file) == "SECRET");

    private async Task WaitUntilAsync(Func<bool> condition) =>
        (await Eventually.TrueWithinAsync(condition, s_timeout, TimeSpan.FromMilliseconds(5))).Should().BeTrue("Log:\n" + string.Join("\n", _log.Messages()));
}
