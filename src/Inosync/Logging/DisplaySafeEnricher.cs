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
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties.ToList())
        {
            LogEventPropertyValue safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, safe));
            }
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
