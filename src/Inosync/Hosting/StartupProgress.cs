using Inosync.Nodes;
using Inosync.Pipeline;
using Serilog;

namespace Inosync.Cli.Hosting;

/// <summary>
/// A sign of life while a big tree starts: every few seconds, how many directories are watched so far and at what
/// rate, then how far the initial sync has got on each node (done, running for how long, or retrying and why).
/// lsyncd users wait hours on a big tree with nothing in the log; this says what is going on.
/// </summary>
internal sealed class StartupProgress : IAsyncDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<SyncPipeline> _pipelines;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _watching = true;
    private int _disposed;

    public StartupProgress(IReadOnlyList<SyncPipeline> pipelines, ILogger log, TimeProvider time)
    {
        _pipelines = pipelines;
        _log = log;
        _time = time;
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Every watch is set: from now on the initial sync is reported.</summary>
    public void WatchesSet() => _watching = false;

    /// <summary>Stops reporting (at ready, at stop, or when start-up fails); more calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        long started = _time.GetTimestamp();
        using var timer = new PeriodicTimer(s_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (_watching)
                {
                    int watches = _pipelines.Sum(p => p.WatchCount);
                    _log.Information(
                        "Starting: {Watches} directories watched so far ({Rate:0} per second)", watches, watches / _time.GetElapsedTime(started).TotalSeconds);
                }
                else
                {
                    LogInitialSync();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ready, or stopping.
        }
    }

    private void LogInitialSync()
    {
        var workers = _pipelines.SelectMany(p => p.Workers).ToList();
        var waiting = workers.Where(w => !w.FirstFullSyncCompleted.IsCompleted).ToList();
        DateTimeOffset now = _time.GetUtcNow();
        _log.Information(
            "Starting: initial sync done on {Done} of {Nodes} nodes; {Waiting}",
            workers.Count - waiting.Count,
            workers.Count,
            string.Join("; ", waiting.Select(w => Describe(w.GetStatus(), now))));
    }

    private static string Describe(NodeStatus node, DateTimeOffset now) => node.State switch
    {
        NodeState.Syncing when node.BatchStarted is { } started => $"{node.Node}: syncing for {(now - started).TotalSeconds:0} s",
        NodeState.Retrying => $"{node.Node}: retrying after {node.ConsecutiveFailures} failures (last: exit {node.LastError?.ExitCode}, {node.LastError?.Message})",
        _ => $"{node.Node}: {node.State.ToString().ToLowerInvariant()}",
    };
}
