using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Inosync.Tests.Support;

/// <summary>Collects Serilog events so tests can assert on what was logged.</summary>
public sealed class InMemorySink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IEnumerable<string> Messages(LogEventLevel? level = null) =>
        Events.Where(e => level is null || e.Level == level).Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A logger at Verbose that writes here.</summary>
    public ILogger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();
}
