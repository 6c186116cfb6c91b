using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Inosync.Toml;

/// <summary>Runs Tomlyn's syntax parser with validation and reports its first error, in document order, as a <see cref="TomlException"/>.</summary>
internal static class TomlSyntax
{
    // Far deeper than any configuration; the limit keeps `a = [[[[…` from overflowing the stack.
    private const int MaxDepth = 64;

    private static readonly TomlSerializerOptions s_options = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Parses and validates <paramref name="text"/>. The tree has no errors; <c>StandIns</c> holds, by offset, the
    /// text of each date-time that Tomlyn was given a stand-in for.
    /// </summary>
    /// <exception cref="TomlException">The text is not valid TOML 1.1.</exception>
    public static (DocumentSyntax Document, IReadOnlyDictionary<int, string> StandIns) Parse(string text, string sourceName)
    {
        (DocumentSyntax document, TomlException? error) = ParseOnce(text, sourceName);
        var originals = new Dictionary<int, string>();
        if (error is not null)
        {
            // Date-times that TOML allows but Tomlyn cannot hold get a stand-in of the same length and one more pass,
            // so that validation (which Tomlyn skips after an error) runs over the whole document.
            string? withStandIns = WithDateTimeStandIns(text, document, originals);
            if (withStandIns is not null)
            {
                (document, error) = ParseOnce(withStandIns, sourceName);
            }
        }

        return error is null ? (document, originals) : throw error;
    }

    /// <summary>The first error in <paramref name="text"/>, or null when it is valid TOML.</summary>
    public static TomlException? FirstError(string text, string sourceName) => ParseOnce(text, sourceName).Error;

    private static (DocumentSyntax Document, TomlException? Error) ParseOnce(string text, string sourceName)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, s_options, sourceName, validate: true);
        }
        catch (Tomlyn.TomlException)
        {
            // Tomlyn stops at MaxDepth with an exception that has no position.
            return (new DocumentSyntax(), new TomlException(
                sourceName, NestingScan.FirstBeyond(text, MaxDepth), $"values are nested more than {MaxDepth} levels deep"));
        }

        DiagnosticMessage? first = document.Diagnostics
            .Where(d => d.Kind == DiagnosticMessageKind.Error)
            .OrderBy(d => d.Span.Start.Offset)
            .FirstOrDefault();
        if (first is null)
        {
            return (document, null);
        }

        TomlPosition position = TomlDiagnostics.PositionOf(first.Span.Start);
        string reason = DateTimeAt(document, first.Span.Start.Offset) is { } dateTime
            && TomlDateTimeText.Check(Token(text, dateTime), out _, out _) is { } dateTimeProblem
                ? dateTimeProblem
                : TomlDiagnostics.Describe(first);
        return (document, new TomlException(sourceName, position, reason));
    }

    /// <summary>The text with every date-time Tomlyn rejected but TOML allows replaced by a stand-in; null when there is none.</summary>
    private static string? WithDateTimeStandIns(string text, DocumentSyntax document, Dictionary<int, string> originals)
    {
        char[]? chars = null;
        foreach (DateTimeValueSyntax dateTime in DateTimes(document))
        {
            string token = Token(text, dateTime);
            if (TomlDateTimeText.Check(token, out _, out _) is null && TomlDateTimeText.StandIn(token) is { } standIn)
            {
                chars ??= text.ToCharArray();
                standIn.CopyTo(0, chars, dateTime.Span.Start.Offset, standIn.Length);
                originals[dateTime.Span.Start.Offset] = token;
            }
        }

        return chars is null ? null : new string(chars);
    }

    /// <summary>The source text of a value (Tomlyn's span ends on its last character).</summary>
    public static string Token(string text, SyntaxNode node) =>
        text.Substring(node.Span.Start.Offset, node.Span.End.Offset - node.Span.Start.Offset + 1);

    private static DateTimeValueSyntax? DateTimeAt(DocumentSyntax document, int offset) =>
        DateTimes(document).FirstOrDefault(d => d.Span.Start.Offset == offset);

    private static List<DateTimeValueSyntax> DateTimes(DocumentSyntax document)
    {
        var collector = new DateTimeCollector();
        document.Accept(collector);
        return collector.Found;
    }

    private sealed class DateTimeCollector : SyntaxVisitor
    {
        public List<DateTimeValueSyntax> Found { get; } = [];

        public override void Visit(DateTimeValueSyntax dateTime)
        {
            Found.Add(dateTime);
            base.Visit(dateTime);
        }
    }
}
