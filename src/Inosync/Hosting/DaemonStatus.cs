using Inosync.Configuration;
using Inosync.Pipeline;
using Inosync.Status;
using Serilog;

namespace Inosync.Cli.Hosting;

/// <summary>
/// The daemon's side of the status file and the metrics file: builds them from the pipelines, wakes their writers
/// whenever a node's status changes, and carries the daemon's own state (starting → running → stopping → stopped).
/// Without a <c>status_file</c> or <c>metrics_file</c> in the configuration that file is not written.
/// </summary>
internal sealed class DaemonStatus : IAsyncDisposable
{
    /// <summary>At most one write per second while things change (lsyncd's statusInterval is 10 s; ours is cheaper).</summary>
    private static readonly TimeSpan s_minimumInterval = TimeSpan.FromSeconds(1);

    private readonly InosyncConfig _config;
    private readonly IReadOnlyList<SyncPipeline> _pipelines;
    private readonly StatusWriter? _writer;
    private readonly StatusWriter? _metrics;
    private readonly DateTimeOffset _started = TimeProvider.System.GetUtcNow();
    private volatile string _state = DaemonStates.Starting;

    public DaemonStatus(InosyncConfig config, IReadOnlyList<SyncPipeline> pipelines, ILogger log)
    {
        _config = config;
        _pipelines = pipelines;
        if (config.StatusFile is not null)
        {
            _writer = new StatusWriter(config.StatusFile, () => StatusFile.Serialize(Snapshot()), log, TimeProvider.System, s_minimumInterval);
        }

        if (config.MetricsFile is not null)
        {
            // 0644: node_exporter, which reads it, runs as a user of its own.
            const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            _metrics = new StatusWriter(
                config.MetricsFile, () => PrometheusText.Render([.. pipelines.Select(SyncMetrics.From)]), log, TimeProvider.System, s_minimumInterval, "metrics file", Readable);
        }

        if (_writer is not null || _metrics is not null)
        {
            foreach (var worker in pipelines.SelectMany(p => p.Workers))
            {
                worker.StatusChanged += OnStatusChanged;
            }
        }
    }

    /// <summary>Writes the files for the first time ("starting").</summary>
    /// <exception cref="ConfigException">One cannot be written (exit code 73): better to stop now than to run unmonitored.</exception>
    public void Start()
    {
        Start(_writer, _config.StatusFile, "status file");
        Start(_metrics, _config.MetricsFile, "metrics file");
    }

    /// <summary>Sets the daemon's state (a <see cref="DaemonStates"/> value) and schedules a write.</summary>
    public void SetState(string state)
    {
        _state = state;
        _writer?.Signal();
    }

    /// <summary>Writes the final state, "stopped". Call after every pipeline has stopped, so the nodes say so too.</summary>
    public async ValueTask DisposeAsync()
    {
        _state = DaemonStates.Stopped;
        foreach (var worker in _pipelines.SelectMany(p => p.Workers))
        {
            worker.StatusChanged -= OnStatusChanged;
        }

        await (_writer?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_metrics?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    private static void Start(StatusWriter? writer, string? path, string what)
    {
        try
        {
            writer?.Start();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot write the {what}: {ex.Message}", ExitCode.CantCreate, ex);
        }
    }

    private void OnStatusChanged(object? sender, EventArgs e)
    {
        _writer?.Signal();
        _metrics?.Signal();
    }

    private StatusDocument Snapshot() => new(
        StatusDocument.CurrentFormat,
        VersionInfo.Version,
        Environment.ProcessId,
        _config.ConfigPath,
        _state,
        _started,
        TimeProvider.System.GetUtcNow(),
        [.. _pipelines.Select(SyncStatusEntry.From)]);
}
