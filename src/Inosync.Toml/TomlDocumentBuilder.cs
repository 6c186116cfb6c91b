using System.Globalization;
using Tomlyn.Syntax;

namespace Inosync.Toml;

/// <summary>
/// Builds the position-carrying model from a validated Tomlyn syntax tree, and closes the gaps where Tomlyn accepts
/// a value TOML does not (radix integers beyond int64 wrap; floats beyond double become infinity).
/// </summary>
/// <remarks>
/// Tomlyn's validator has already refused duplicate keys and redefined tables, so a clash here means the two
/// disagree; it is still reported as a position-carrying error rather than an exception from a dictionary.
/// </remarks>
internal sealed class TomlDocumentBuilder
{
    private readonly string _text;
    private readonly IReadOnlyDictionary<int, string> _dateTimeStandIns;
    private readonly string _sourceName;

    private TomlDocumentBuilder(string text, IReadOnlyDictionary<int, string> dateTimeStandIns, string sourceName)
    {
        _text = text;
        _dateTimeStandIns = dateTimeStandIns;
        _sourceName = sourceName;
    }

    /// <param name="dateTimeStandIns">By offset, the text of each date-time Tomlyn was given a stand-in for.</param>
    public static TomlTable Build(DocumentSyntax document, string text, IReadOnlyDictionary<int, string> dateTimeStandIns, string sourceName)
    {
        var builder = new TomlDocumentBuilder(text, dateTimeStandIns, sourceName);
        var root = new TomlTable(new TomlPosition(1, 1));
        builder.AddKeyValues(root, document.KeyValues);
        foreach (TableSyntaxBase header in document.Tables)
        {
            TomlTable table = builder.OpenHeader(root, header);
            builder.AddKeyValues(table, header.Items);
        }

        return root;
    }

    private TomlTable OpenHeader(TomlTable root, TableSyntaxBase header)
    {
        List<(string Name, TomlPosition Position)> path = Segments(header.Name!);
        TomlTable parent = Descend(root, path[..^1]);
        (string name, TomlPosition keyPosition) = path[^1];
        TomlPosition position = TomlDiagnostics.PositionOf(header.Span.Start);
        if (header is TableArraySyntax)
        {
            if (!parent.TryGetValue(name, out TomlNode? existing))
            {
                existing = new TomlArray(position) { IsTableArray = true };
                parent.Add(name, keyPosition, existing);
            }

            var element = new TomlTable(position);
            (existing as TomlArray ?? throw Clash(name, keyPosition, existing)).Add(element);
            return element;
        }

        if (parent.TryGetValue(name, out TomlNode? defined))
        {
            TomlTable implicitTable = defined as TomlTable ?? throw Clash(name, keyPosition, defined);
            implicitTable.MoveTo(position);
            return implicitTable;
        }

        var table = new TomlTable(position);
        parent.Add(name, keyPosition, table);
        return table;
    }

    private void AddKeyValues(TomlTable table, IEnumerable<KeyValueSyntax> keyValues)
    {
        foreach (KeyValueSyntax keyValue in keyValues)
        {
            List<(string Name, TomlPosition Position)> path = Segments(keyValue.Key!);
            TomlTable parent = Descend(table, path[..^1]);
            (string name, TomlPosition position) = path[^1];
            if (parent.TryGetValue(name, out TomlNode? existing))
            {
                throw Clash(name, position, existing);
            }

            parent.Add(name, position, Value(keyValue.Value!));
        }
    }

    /// <summary>Walks (and creates) the tables a dotted key or a header names before its last part.</summary>
    private TomlTable Descend(TomlTable table, List<(string Name, TomlPosition Position)> path)
    {
        foreach ((string name, TomlPosition position) in path)
        {
            if (!table.TryGetValue(name, out TomlNode? next))
            {
                next = new TomlTable(position);
                table.Add(name, position, next);
            }

            table = next switch
            {
                TomlTable child => child,
                TomlArray { IsTableArray: true, Count: > 0 } array => (TomlTable)array[^1],
                _ => throw Clash(name, position, next),
            };
        }

        return table;
    }

    private static List<(string Name, TomlPosition Position)> Segments(KeySyntax key)
    {
        var segments = new List<(string, TomlPosition)> { Segment(key.Key!) };
        segments.AddRange(key.DotKeys.Select(dotted => Segment(dotted.Key!)));
        return segments;
    }

    private static (string Name, TomlPosition Position) Segment(BareKeyOrStringValueSyntax part) => part switch
    {
        BareKeySyntax bare => (bare.Key!.Text!, TomlDiagnostics.PositionOf(part.Span.Start)),
        StringValueSyntax quoted => (quoted.Value!, TomlDiagnostics.PositionOf(part.Span.Start)),
        _ => throw new InvalidOperationException($"unexpected key syntax {part.Kind}"),
    };

    private TomlNode Value(ValueSyntax value)
    {
        TomlPosition position = TomlDiagnostics.PositionOf(value.Span.Start);
        switch (value)
        {
            case StringValueSyntax s:
                return new TomlString(s.Value!, position);
            case BooleanValueSyntax b:
                return new TomlBoolean(b.Value, position);
            case IntegerValueSyntax i:
                return new TomlInteger(CheckedInteger(i, position), position);
            case FloatValueSyntax f:
                string number = TomlSyntax.Token(_text, f);
                return double.IsInfinity(f.Value) && !number.TrimStart('+', '-').Equals("inf", StringComparison.Ordinal)
                    ? throw Error(position, $"float \"{TomlDiagnostics.Excerpt(number)}\" is out of range (at most ±{double.MaxValue.ToString("R", CultureInfo.InvariantCulture)})")
                    : new TomlFloat(f.Value, position);
            case DateTimeValueSyntax d:
                // The text as written (Tomlyn's value loses digits beyond the 7th and the leap second).
                string token = _dateTimeStandIns.TryGetValue(d.Span.Start.Offset, out string? written) ? written : TomlSyntax.Token(_text, d);
                return TomlDateTimeText.Check(token, out TomlDateTimeKind kind, out string canonical) is { } problem
                    ? throw Error(position, problem)
                    : new TomlDateTime(kind, canonical, position);
            case ArraySyntax a:
                var array = new TomlArray(position);
                foreach (ArrayItemSyntax item in a.Items)
                {
                    array.Add(Value(item.Value!));
                }

                return array;
            case InlineTableSyntax t:
                var table = new TomlTable(position);
                AddKeyValues(table, t.Items.Select(item => item.KeyValue!));
                return table;
            default:
                throw Error(position, $"unsupported value {value.Kind}");
        }
    }

    /// <summary>The value of a hexadecimal, octal or binary integer, which Tomlyn wraps beyond int64 instead of refusing.</summary>
    private long CheckedInteger(IntegerValueSyntax integer, TomlPosition position)
    {
        string token = TomlSyntax.Token(_text, integer);
        (int radix, string largest) = token.Length > 2 && token[0] == '0' ? token[1] switch
        {
            'x' => (16, "0x7FFFFFFFFFFFFFFF"),
            'o' => (8, "0o777777777777777777777"),
            'b' => (2, "0b" + new string('1', 63)),
            _ => (10, ""),
        } : (10, "");
        if (radix == 10)
        {
            return integer.Value;
        }

        UInt128 magnitude = 0;
        foreach (char digit in token.AsSpan(2))
        {
            if (digit != '_')
            {
                magnitude = (magnitude * (uint)radix) + (uint)HexDigit(digit);
                if (magnitude > long.MaxValue)
                {
                    throw Error(position, $"integer \"{TomlDiagnostics.Excerpt(token)}\" is out of range (0 to {largest})");
                }
            }
        }

        return (long)magnitude;
    }

    // Tomlyn has checked the digits against the radix already.
    private static int HexDigit(char digit) => char.IsAsciiDigit(digit) ? digit - '0' : (digit | 0x20) - 'a' + 10;

    private TomlException Clash(string key, TomlPosition position, TomlNode existing) =>
        Error(position, $"key \"{TomlDiagnostics.Excerpt(key)}\" is already defined as a {existing.TypeName} (first at {existing.Position})");

    private TomlException Error(TomlPosition position, string reason) => new(_sourceName, position, reason);
}
