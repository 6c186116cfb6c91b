using Inosync.Processes;
using Serilog;

namespace Inosync.Pipeline;

/// <summary>How a <see cref="SyncPipeline"/> runs, beyond its configuration.</summary>
/// <param name="Logger">The root logger; the pipeline adds its sync's name to every event.</param>
/// <param name="Pretend">Run everything but rsync; log the commands instead.</param>
public sealed record PipelineOptions(ILogger Logger, bool Pretend)
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The daemon-wide cap on running client processes, shared by every pipeline; null: no cap.</summary>
    public ProcessSlots? Slots { get; init; }
}
