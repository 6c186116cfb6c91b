using System.Globalization;
using Inosync.Pipeline;
using Inosync.Status;

namespace Inosync.Cli.Hosting;

/// <summary>
/// What systemd hears from a daemon run with <c>Type=notify</c>: <c>READY=1</c> once every watch is set and every
/// node has had its initial sync, <c>STATUS=</c> with one line of state whenever it changes (checked every second),
/// <c>WATCHDOG=1</c> at half the <c>WatchdogSec=</c> interval while every pipeline runs, and <c>STOPPING=1</c>.
/// </summary>
internal sealed class SystemdReporter : IAsyncDisposable
{
    private static readonly TimeSpan s_statusInterval = TimeSpan.FromSeconds(1);

    private readonly SystemdNotifier _notifier;
    private readonly IReadOnlyList<SyncPipeline> _pipelines;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private volatile string _phase = DaemonStates.Starting;

    public SystemdReporter(SystemdNotifier notifier, IReadOnlyList<SyncPipeline> pipelines)
    {
        _notifier = notifier;
        _pipelines = pipelines;
    }

    /// <summary>Starts the status (and watchdog) loop.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    /// <summary>The watches are set and every node has had its initial sync.</summary>
    public void Ready()
    {
        _phase = DaemonStates.Running;
        _notifier.Send("READY=1\nSTATUS=" + Describe());
    }

    /// <summary>The daemon is stopping; the watchdog stops with the loop.</summary>
    public async Task StoppingAsync()
    {
        _phase = DaemonStates.Stopping;
        await StopLoopAsync();
        _notifier.Send("STOPPING=1\nSTATUS=" + Describe());
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopAsync();
        _stop.Dispose();
    }

    /// <summary>The one line: "running: 20021 directories watched; 3 nodes ok; 0 changes pending".</summary>
    internal string Describe()
    {
        var syncs = _pipelines.Select(SyncStatusEntry.From).ToList();
        var nodes = syncs.SelectMany(s => s.Nodes).ToList();
        int failing = nodes.Count(n => n.IsFailing);
        string health = failing == 0
            ? $"{Plural(nodes.Count, "node")} ok"
            : $"{failing} of {Plural(nodes.Count, "node")} failing ({string.Join(", ", nodes.Where(n => n.IsFailing).Select(n => n.Node))})";
        string initial = _phase == DaemonStates.Starting
            ? $"; initial sync done on {_pipelines.Sum(p => p.Workers.Count(w => w.FirstFullSyncCompleted.IsCompleted))} of {nodes.Count}"
            : "";
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{_phase}: {Plural(syncs.Sum(s => s.Watches), "directory", "directories")} watched; {health}{initial}; {Plural(nodes.Sum(n => n.Pending), "change")} pending");

        // One line, whatever a node's name holds.
        return string.Concat(line.Select(c => char.IsControl(c) ? '?' : c));
    }

    private static string Plural(int count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many ?? one + "s")}");

    private async Task RunAsync(CancellationToken stop)
    {
        TimeSpan? watchdog = _notifier.WatchdogInterval / 2;
        TimeSpan tick = watchdog is { } half && half < s_statusInterval ? half : s_statusInterval;
        string? last = null;
        var sinceStatus = TimeSpan.Zero;
        using var timer = new PeriodicTimer(tick);
        try
        {
            do
            {
                // Only while every watcher is alive: a daemon whose pipeline died must be restarted, not kept.
                if (watchdog is not null && _pipelines.All(p => !p.Completion.IsCompleted))
                {
                    _notifier.Send("WATCHDOG=1");
                }

                sinceStatus += tick;
                if (sinceStatus >= s_statusInterval)
                {
                    sinceStatus = TimeSpan.Zero;
                    string line = Describe();
                    if (line != last)
                    {
                        _notifier.Send("STATUS=" + line);
                        last = line;
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task StopLoopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}
