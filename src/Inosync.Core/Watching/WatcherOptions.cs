using Inosync.Filtering;
using Serilog;

namespace Inosync.Watching;

/// <summary>What a watcher watches and how.</summary>
/// <param name="Root">The watched directory: absolute, no trailing slash.</param>
/// <param name="Filter">What is excluded: such directories are never watched, such entries never reported.</param>
/// <param name="Logger">Where the watcher logs (progress on big trees, overflow, limits).</param>
public sealed record WatcherOptions(string Root, PathFilter Filter, ILogger Logger)
{
    /// <summary>A file written without a close is reported at the latest this long after its first unreported write,
    /// even while the writer goes on (open_write_interval).</summary>
    public TimeSpan OpenWriteInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock that settles files written without a close.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
