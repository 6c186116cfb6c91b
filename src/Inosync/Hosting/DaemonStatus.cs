using Inosync.Configuration;
using Inosync.Pipeline;
using Inosync.Status;
using Serilog;

namespace Inosync.Cli.Hosting;

/// <summary>
/// The daemon's side of the status file: builds the document from the pipelines, wakes the writer whenever a node's
/// status changes, and carries the daemon's own state (starting → running → stopping → stopped). Without a
/// <c>status_file</c> in the configuration every call does nothing.
/// </summary>
internal sealed class DaemonStatus : IAsyncDisposable
{
    /// <summary>At most one write per second while things change (lsyncd's statusInterval is 10 s; ours is cheaper).</summary>
    private static readonly TimeSpan s_minimumInterval = TimeSpan.FromSeconds(1);

    private readonly InosyncConfig _config;
    private readonly IReadOnlyList<SyncPipeline> _pipelines;
    private readonly StatusWriter? _writer;
    private readonly DateTimeOffset _started = TimeProvider.System.GetUtcNow();
    private volatile string _state = DaemonStates.Starting;

    public DaemonStatus(InosyncConfig config, IReadOnlyList<SyncPipeline> pipelines, ILogger log)
    {
        _config = config;
        _pipelines = pipelines;
        if (config.StatusFile is null)
        {
            return;
        }

        _writer = new StatusWriter(config.StatusFile, Snapshot, log, TimeProvider.System, s_minimumInterval);
        foreach (var worker in pipelines.SelectMany(p => p.Workers))
        {
            worker.StatusChanged += OnStatusChanged;
        }
    }

    /// <summary>Writes the file for the first time ("starting").</summary>
    /// <exception cref="ConfigException">It cannot be written (exit code 73): better to stop now than to run unmonitored.</exception>
    public void Start()
    {
        try
        {
            _writer?.Start();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{_config.StatusFile}: cannot write the status file: {ex.Message}", ExitCode.CantCreate, ex);
        }
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
        if (_writer is null)
        {
            return;
        }

        foreach (var worker in _pipelines.SelectMany(p => p.Workers))
        {
            worker.StatusChanged -= OnStatusChanged;
        }

        await _writer.DisposeAsync();
    }

    private void OnStatusChanged(object? sender, EventArgs e) => _writer?.Signal();

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
