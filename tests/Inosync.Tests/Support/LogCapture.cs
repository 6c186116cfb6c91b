using System.Collections.Concurrent;
using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Inosync.Tests.Support;

/// <summary>A Serilog sink that keeps every event, and a logger that writes to it, so a test can read back what was logged.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public LogCapture()
    {
        Logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();
    }

    /// <summary>A logger at Verbose that writes here.</summary>
    public ILogger Logger { get; }

    /// <summary>Every event so far, in order.</summary>
    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Rendered messages at <paramref name="minimum"/> or above (all of them by default).</summary>
    public IReadOnlyList<string> Messages(LogEventLevel minimum = LogEventLevel.Verbose) =>
        [.. Events.Where(e => e.Level >= minimum).Select(Render)];

    /// <summary>Rendered messages at exactly <paramref name="level"/>.</summary>
    public IReadOnlyList<string> MessagesAt(LogEventLevel level) =>
        [.. Events.Where(e => e.Level == level).Select(Render)];

    private static string Render(LogEvent logEvent) => logEvent.RenderMessage(CultureInfo.InvariantCulture);
}
