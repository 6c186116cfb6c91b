using Serilog.Core;
using Serilog.Events;

namespace Inosync.Cli.Logging;

/// <summary>
/// Adds <c>SyslogPriority</c>, the syslog(3) level of the event, for the "&lt;N&gt;" prefix journald reads from a
/// stream (sd-daemon(3)): so <c>journalctl -p warning</c> finds inosync's warnings and errors.
/// </summary>
internal sealed class SyslogPriorityEnricher : ILogEventEnricher
{
    public const string PropertyName = "SyslogPriority";

    // One cached property per level: events allocate nothing here.
    private static readonly LogEventProperty[] s_priorities =
    [
        new(PropertyName, new ScalarValue(7)), // Verbose: LOG_DEBUG
        new(PropertyName, new ScalarValue(7)), // Debug: LOG_DEBUG
        new(PropertyName, new ScalarValue(6)), // Information: LOG_INFO
        new(PropertyName, new ScalarValue(4)), // Warning: LOG_WARNING
        new(PropertyName, new ScalarValue(3)), // Error: LOG_ERR
        new(PropertyName, new ScalarValue(2)), // Fatal: LOG_CRIT
    ];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
        logEvent.AddPropertyIfAbsent(s_priorities[(int)logEvent.Level]);
}
