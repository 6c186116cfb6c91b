using Serilog.Core;
using Serilog.Events;

namespace Inosync.Cli.Logging;

/// <summary>
/// Makes every string a log event carries safe to print (<see cref="FileNameEncoding.ForDisplay"/>): file names come
/// from users who can write the watched tree, and a name with a newline or an escape sequence must not forge a log
/// line or drive a terminal. One place, so no call site can forget it.
/// </summary>
internal sealed class DisplaySafeEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        // Properties cannot change while they are enumerated; most events need no change, and allocate nothing here.
        List<LogEventProperty>? escaped = null;
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            LogEventPropertyValue safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                (escaped ??= []).Add(new LogEventProperty(name, safe));
            }
        }

        foreach (LogEventProperty property in escaped ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    private static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when FileNameEncoding.ForDisplay(text) is var shown && !ReferenceEquals(shown, text)
            => new ScalarValue(shown),
        SequenceValue sequence when sequence.Elements.Select(Escape).ToList() is var elements
                                    && !elements.SequenceEqual(sequence.Elements, ReferenceEqualityComparer.Instance)
            => new SequenceValue(elements),
        _ => value,
    };
}
