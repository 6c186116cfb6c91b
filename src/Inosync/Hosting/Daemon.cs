using System.Diagnostics;
using System.Runtime.InteropServices;
using Inosync.Cli.Commands;
using Inosync.Configuration;
using Inosync.Pipeline;
using Inosync.Processes;
using Inosync.Status;
using Serilog;

namespace Inosync.Cli.Hosting;

/// <summary>
/// The running daemon: one <see cref="SyncPipeline"/> per [[sync]], started together, stopped together.
/// </summary>
internal sealed class Daemon
{
    private readonly InosyncConfig _config;
    private readonly RunOptions _options;
    private readonly ILogger _log;

    public Daemon(InosyncConfig config, RunOptions options, ILogger log)
    {
        _config = config;
        _options = options;
        _log = log;
    }

    /// <summary>
    /// Runs until <paramref name="stopping"/> fires (SIGINT/SIGTERM) or a watcher fails for good; <paramref name="hurry"/>
    /// (a second signal) cuts the stop short. <paramref name="preflight"/> (the rsync probe) runs while the watches are
    /// set up: no node starts before it succeeds, and its failure ends the daemon. <paramref name="running"/> is called
    /// once every watch is set.
    /// </summary>
    public async Task<int> RunAsync(Task preflight, CancellationToken stopping, CancellationToken hurry, Action? running = null)
    {
        using var slots = new ProcessSlots(_config.MaxProcesses);
        var pipelineOptions = new PipelineOptions(_log, _options.Pretend) { Slots = slots };
        var pipelines = _config.Syncs.Select(s => new SyncPipeline(s, pipelineOptions)).ToList();

        // Declared before the try: it is disposed (the final "stopped" write) after the pipelines are.
        await using var status = new DaemonStatus(_config, pipelines, _log);
        using SystemdNotifier? notifier = SystemdNotifier.FromEnvironment(_log);
        await using SystemdReporter? systemd = notifier is null ? null : new SystemdReporter(notifier, pipelines);
        try
        {
            status.Start();
            systemd?.Start();
            var clock = Stopwatch.StartNew();
            int watches = 0;
            await using var progress = new StartupProgress(pipelines, _log, TimeProvider.System);
            foreach (var pipeline in pipelines)
            {
                // The watcher itself logs how many directories it watches and how long that took.
                watches += await pipeline.WatchAsync(stopping);
            }

            await preflight;
            foreach (var pipeline in pipelines)
            {
                pipeline.StartSyncing();
            }

            progress.WatchesSet();

            _log.Information(
                "inosync {Version} started with {Config}{Pretend}: {Watches} directories watched in {Elapsed:0} ms",
                VersionInfo.Version, _config.ConfigPath, _options.Pretend ? " (pretend: no rsync will run)" : "", watches, clock.Elapsed.TotalMilliseconds);
            status.SetState(_config.Syncs.Any(c => c.InitialSync) ? DaemonStates.InitialSync : DaemonStates.Running);
            running?.Invoke();

            // The watch walk leaves megabytes of garbage (paths, listings) in a heap the daemon will not grow into
            // again, and the GC keeps what it once committed: give it back once, now, instead of carrying it for the
            // daemon's lifetime. A few milliseconds, once (measured in docs/benchmarks.md).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GCMemoryInfo heap = GC.GetGCMemoryInfo();
            _log.Debug(
                "Managed heap after start-up: {LiveKiB} KiB live, {CommittedKiB} KiB committed",
                heap.HeapSizeBytes / 1024,
                heap.TotalCommittedBytes / 1024);

            Task initial = Task.WhenAll(pipelines.Select(p => p.InitialSyncCompleted));
            Task failed = Task.WhenAny(pipelines.Select(p => p.Completion));
            Task stop = Task.Delay(Timeout.Infinite, stopping);
            bool ready = await Task.WhenAny(initial, failed, stop) == initial;
            await progress.DisposeAsync();
            if (ready)
            {
                _log.Information("inosync ready: initial sync finished in {Elapsed:0.0} s; syncing changes as they happen", clock.Elapsed.TotalSeconds);
                status.SetState(DaemonStates.Running);
                systemd?.Ready();
            }

            var ended = await Task.WhenAny(failed, stop);
            if (ended == failed)
            {
                var faulted = pipelines.First(p => p.Completion.IsCompleted);
                _log.Fatal(
                    "Watching {Path} failed: {Error}; stopping",
                    faulted.Config.WatchPath, faulted.Completion.Exception?.InnerException?.Message ?? "the watcher stopped");
                status.SetState(DaemonStates.Stopping);
                await (systemd?.StoppingAsync() ?? Task.CompletedTask);
                await StopAllAsync(pipelines, hurry);
                ReportUnsynced(pipelines);
                return (int)ExitCode.OsError;
            }

            _log.Information("Stopping: letting running rsyncs finish, then syncing pending changes once more (a second SIGTERM or SIGINT stops at once)");
            status.SetState(DaemonStates.Stopping);
            await (systemd?.StoppingAsync() ?? Task.CompletedTask);
            await using (hurry.Register(() => _log.Warning("Second stop signal: terminating running rsyncs now; pending changes stay unsynced")))
            {
                await StopAllAsync(pipelines, hurry);
            }

            if (ReportUnsynced(pipelines))
            {
                _log.Warning("inosync stopped with changes left unsynced");
                return (int)ExitCode.Unsynced;
            }

            _log.Information("inosync stopped");
            return (int)ExitCode.Ok;
        }
        finally
        {
            foreach (var pipeline in pipelines)
            {
                await pipeline.DisposeAsync();
            }
        }
    }

    private static Task StopAllAsync(IEnumerable<SyncPipeline> pipelines, CancellationToken hurry) =>
        Task.WhenAll(pipelines.Select(p => p.StopAsync(hurry)));

    /// <summary>Logs each node that was left with pending changes at stop; true when there was one.</summary>
    private bool ReportUnsynced(IEnumerable<SyncPipeline> pipelines)
    {
        bool any = false;
        foreach (var worker in pipelines.SelectMany(p => p.Workers))
        {
            var node = worker.GetStatus();
            if (node.Pending > 0)
            {
                any = true;
                _log.Error("{Node}: {Pending} pending changes were not synced before stop; the full sync at the next start repairs them",
                    node.Node, node.Pending);
            }
        }

        return any;
    }
}
