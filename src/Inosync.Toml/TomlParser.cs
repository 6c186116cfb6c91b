using System.Text;

namespace Inosync.Toml;

/// <summary>
/// A recursive-descent TOML 1.0.0 parser over decoded scalars (see <see cref="TomlSource"/>).
/// </summary>
/// <remarks>
/// Implementation notes
/// - This file holds the document structure (lines, keys, headers, the redefinition rules);
///   <c>TomlParser.Values.cs</c> holds the values (strings, numbers, date-times, arrays, inline tables).
/// - Redefinition rules hang off <see cref="TomlTable.Origin"/>: an implicit table (the <c>a</c> of <c>[a.b]</c>)
///   may later get its own header; a header-defined table may only gain sub-tables through headers; a table made by
///   dotted keys may be extended by more dotted keys, or gain sub-tables, but never get a header; inline tables and
///   static arrays are complete once written. These match toml-test and the spec's examples (toml-lang/toml#846).
/// - Positions are scalar indexes until an error or node needs them; the source turns them into line:column.
/// - Reading past the decoded text raises the source's pending encoding error, if any, so errors come out in
///   document order.
/// </remarks>
internal sealed partial class TomlParser
{
    private const int Eof = -1;

    // Deep enough for any real document; stops `[[[[...` from overflowing the stack, which cannot be caught.
    private const int MaxNesting = 128;

    private readonly TomlSource _source;
    private readonly int[] _text;
    private readonly int _length;
    private readonly TomlTable _root;
    private int _pos;
    private int _depth;

    private TomlParser(TomlSource source)
    {
        _source = source;
        _text = source.Scalars;
        _length = source.Length;
        _root = new TomlTable(new TomlPosition(1, 1), TomlTableOrigin.Root);
    }

    public static TomlTable Parse(TomlSource source) => new TomlParser(source).ParseDocument();

    private TomlTable ParseDocument()
    {
        TomlTable current = _root;
        var scope = new Scope("", "");
        while (true)
        {
            SkipWhitespace();
            int c = Peek();
            if (c == Eof)
            {
                return _root;
            }

            if (c == '[')
            {
                (current, scope) = ParseHeader();
                ExpectLineEnd($"the header {scope.Header}");
            }
            else if (c is '#' or '\n' or '\r')
            {
                ExpectLineEnd("");
            }
            else
            {
                string key = ParseKeyValue(current, scope);
                ExpectLineEnd($"the value of {key}");
            }
        }
    }

    /// <summary>Parses <c>key = value</c> into <paramref name="table"/>; returns the key for messages.</summary>
    private string ParseKeyValue(TomlTable table, Scope scope)
    {
        List<KeySegment> key = ParseKey("a key");
        string shown = Quote(FormatPath(key));
        SkipWhitespace();
        if (Peek() != '=')
        {
            throw Error(_pos, $"expected '=' after key {shown}, found {Describe(Peek())}");
        }

        _pos++;
        SkipWhitespace();
        TomlNode value = ParseValue($"for key {shown}", scope.Child(key));
        Assign(table, scope, key, value);
        return shown;
    }

    /// <summary>Walks (and creates) the dotted key's tables below <paramref name="table"/>, then sets the value.</summary>
    private void Assign(TomlTable table, Scope scope, List<KeySegment> key, TomlNode value)
    {
        TomlTable target = table;
        for (int i = 0; i < key.Count - 1; i++)
        {
            KeySegment segment = key[i];
            if (!target.TryGetValue(segment.Name, out TomlNode? existing))
            {
                var created = new TomlTable(Position(segment.Index), TomlTableOrigin.Dotted);
                target.Add(segment.Name, created.Position, created);
                target = created;
                continue;
            }

            string name = Describe(scope, key, i + 1);
            TomlPosition firstAt = target.GetKeyPosition(segment.Name);
            if (existing is not TomlTable sub)
            {
                throw Error(segment.Index, existing is TomlArray
                    ? $"{name} is an array (set at {firstAt}), so a dotted key cannot add keys to it"
                    : $"{name} is already {WithArticle(existing.TypeName)} (set at {firstAt}), so it cannot hold keys");
            }

            switch (sub.Origin)
            {
                case TomlTableOrigin.Inline:
                    throw Error(segment.Index,
                        $"{name} is an inline table (written at {sub.Position}), which is complete once written; no keys can be added to it");
                case TomlTableOrigin.Header:
                    throw Error(segment.Index,
                        $"cannot add keys to table [{scope.Child(key, i + 1).Path}] with a dotted key: it has its own header at {sub.Position}; put the key under that header");
                case TomlTableOrigin.Implicit:
                    // Dotted keys now define it, so a header may no longer (toml-lang/toml#846).
                    sub.Redefine(TomlTableOrigin.Dotted, Position(segment.Index));
                    break;
            }

            target = sub;
        }

        KeySegment last = key[^1];
        if (target.ContainsKey(last.Name))
        {
            throw Error(last.Index,
                $"{Describe(scope, key, key.Count)} is defined twice (first at {target.GetKeyPosition(last.Name)})");
        }

        target.Add(last.Name, Position(last.Index), value);
    }

    /// <summary>Parses <c>[a.b]</c> or <c>[[a.b]]</c>; returns the table that the following keys go into.</summary>
    private (TomlTable Table, Scope Scope) ParseHeader()
    {
        int start = _pos;
        _pos++;
        bool isArray = Peek() == '[';
        if (isArray)
        {
            _pos++;
        }

        SkipWhitespace();
        List<KeySegment> key = ParseKey(isArray ? "a table name after '[['" : "a table name after '['");
        string path = FormatPath(key);
        string shown = isArray ? $"[[{path}]]" : $"[{path}]";
        var scope = new Scope(path, isArray ? $"array of tables {shown}" : $"table {shown}", shown);
        if (Peek() != ']' || (isArray && PeekAt(1) != ']'))
        {
            int at = Peek() == ']' ? _pos + 1 : _pos;
            throw Error(at, $"expected '{(isArray ? "]]" : "]")}' to close the header {(isArray ? "[[" : "[")}{path}, found {Describe(PeekAt(at - _pos))}");
        }

        _pos += isArray ? 2 : 1;
        TomlPosition headerAt = Position(start);

        TomlTable parent = _root;
        for (int i = 0; i < key.Count - 1; i++)
        {
            parent = Descend(parent, key, i);
        }

        KeySegment last = key[^1];
        if (!parent.TryGetValue(last.Name, out TomlNode? existing))
        {
            var table = new TomlTable(headerAt, TomlTableOrigin.Header);
            if (isArray)
            {
                var array = new TomlArray(headerAt) { IsTableArray = true };
                array.Add(table);
                parent.Add(last.Name, Position(last.Index), array);
            }
            else
            {
                parent.Add(last.Name, Position(last.Index), table);
            }

            return (table, scope);
        }

        TomlPosition firstAt = parent.GetKeyPosition(last.Name);
        if (isArray)
        {
            if (existing is TomlArray { IsTableArray: true } tables)
            {
                var element = new TomlTable(headerAt, TomlTableOrigin.Header);
                tables.Add(element);
                return (element, scope);
            }

            throw Error(start, existing switch
            {
                TomlArray => $"cannot append to {shown}: {Quote(path)} is a static array (set at {firstAt}), not an array of tables",
                TomlTable t => $"cannot define array of tables {shown}: [{path}] is already a table ({Origin(t, firstAt)})",
                _ => $"cannot define array of tables {shown}: {Quote(path)} is already {WithArticle(existing.TypeName)} (set at {firstAt})",
            });
        }

        if (existing is TomlTable { Origin: TomlTableOrigin.Implicit } implicitTable)
        {
            implicitTable.Redefine(TomlTableOrigin.Header, headerAt);
            return (implicitTable, scope);
        }

        throw Error(start, existing switch
        {
            TomlTable { Origin: TomlTableOrigin.Header } t => $"table {shown} is defined twice (first at {t.Position})",
            TomlTable t => $"table {shown} is already defined ({Origin(t, firstAt)})",
            TomlArray { IsTableArray: true } => $"cannot define table {shown}: it is already an array of tables (first at {existing.Position}); use [[{path}]]",
            TomlArray => $"cannot define table {shown}: {Quote(path)} is already an array (set at {firstAt})",
            _ => $"cannot define table {shown}: {Quote(path)} is already {WithArticle(existing.TypeName)} (set at {firstAt})",
        });
    }

    /// <summary>Steps from <paramref name="parent"/> into the table named by <c>key[index]</c> for a header.</summary>
    private TomlTable Descend(TomlTable parent, List<KeySegment> key, int index)
    {
        KeySegment segment = key[index];
        if (!parent.TryGetValue(segment.Name, out TomlNode? existing))
        {
            var created = new TomlTable(Position(segment.Index), TomlTableOrigin.Implicit);
            parent.Add(segment.Name, created.Position, created);
            return created;
        }

        string path = FormatPath(key, index + 1);
        TomlPosition firstAt = parent.GetKeyPosition(segment.Name);
        return existing switch
        {
            TomlTable { Origin: TomlTableOrigin.Inline } =>
                throw Error(segment.Index, $"cannot add to {Quote(path)}: it is an inline table (written at {existing.Position}), which is complete once written"),
            TomlTable table => table,

            // Each [[a]] header starts a new element; [a.b] below it belongs to the latest one.
            TomlArray { IsTableArray: true } tables => (TomlTable)tables[^1],
            TomlArray =>
                throw Error(segment.Index, $"cannot add to {Quote(path)}: it is a static array (set at {firstAt}), which is complete once written"),
            _ => throw Error(segment.Index, $"cannot use {Quote(path)} as a table: it is already {WithArticle(existing.TypeName)} (set at {firstAt})"),
        };
    }

    /// <summary>Parses a (possibly dotted) key, leaving the cursor after any whitespace that follows it.</summary>
    private List<KeySegment> ParseKey(string what)
    {
        var segments = new List<KeySegment>();
        while (true)
        {
            int start = _pos;
            int c = Peek();
            string name;
            if (c == '"' || c == '\'')
            {
                if (PeekAt(1) == c && PeekAt(2) == c)
                {
                    throw Error(start, "a key cannot be a multi-line string");
                }

                name = c == '"' ? ParseBasicString(start) : ParseLiteralString(start);
            }
            else
            {
                while (IsBareKeyChar(Peek()))
                {
                    _pos++;
                }

                if (_pos == start)
                {
                    string expected = segments.Count == 0 ? what : "a key after '.'";
                    string hint = c is '=' ? " (a key cannot be empty; write \"\" for an empty key)" : "";
                    throw Error(start, $"expected {expected}, found {Describe(c)}{hint}");
                }

                name = Slice(start, _pos);
            }

            segments.Add(new KeySegment(name, start));
            SkipWhitespace();
            if (Peek() != '.')
            {
                return segments;
            }

            _pos++;
            SkipWhitespace();
        }
    }

    /// <summary>After a line's content: optional whitespace and comment, then a newline or the end of the file.</summary>
    private void ExpectLineEnd(string after)
    {
        SkipWhitespace();
        int c = Peek();
        if (c == '#')
        {
            SkipComment();
            c = Peek();
        }

        switch (c)
        {
            case Eof:
                return;
            case '\n':
                _pos++;
                return;
            case '\r':
                // The source guarantees LF follows CR.
                _pos += 2;
                return;
            default:
                throw Error(_pos, after.Length == 0
                    ? $"expected a newline, found {Describe(c)}"
                    : $"expected a newline after {after}, found {Describe(c)}");
        }
    }

    private void SkipComment()
    {
        // Control characters were already rejected while decoding, so a comment is simply "up to the newline".
        while (Peek() is not (Eof or '\n' or '\r'))
        {
            _pos++;
        }
    }

    private void SkipWhitespace()
    {
        while (Peek() is ' ' or '\t')
        {
            _pos++;
        }
    }

    private int Peek() => _pos < _length ? _text[_pos] : AtEnd();

    private int PeekAt(int offset)
    {
        int index = _pos + offset;
        return index < _length ? _text[index] : AtEnd();
    }

    private int AtEnd() => _source.PendingError is { } pending ? throw pending : Eof;

    private TomlPosition Position(int index) => _source.PositionOf(index);

    private TomlException Error(int index, string reason) => _source.Error(index, reason);

    private string Slice(int start, int end)
    {
        var builder = new StringBuilder(end - start);
        for (int i = start; i < end; i++)
        {
            AppendScalar(builder, _text[i]);
        }

        return builder.ToString();
    }

    private static void AppendScalar(StringBuilder builder, int scalar)
    {
        if (scalar < 0x10000)
        {
            builder.Append((char)scalar);
        }
        else
        {
            Span<char> pair = stackalloc char[2];
            new Rune(scalar).EncodeToUtf16(pair);
            builder.Append(pair);
        }
    }

    private static bool IsBareKeyChar(int c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';

    /// <summary>Names what the parser found, for "expected X, found Y" messages.</summary>
    private static string Describe(int c) => c switch
    {
        Eof => "the end of the file",
        '\n' or '\r' => "the end of the line",
        ' ' => "a space",
        '\t' => "a tab",
        '\'' => "\"'\"",
        < 0x80 => $"'{(char)c}'",
        _ => $"'{char.ConvertFromUtf32(c)}' ({TomlSource.FormatCodePoint(c)})",
    };

    /// <summary>"key "a.b"" or "key "b" in table [t]" for the first <paramref name="count"/> parts of a dotted key.</summary>
    private static string Describe(Scope scope, List<KeySegment> key, int count) =>
        scope.Shown.Length == 0
            ? $"key {Quote(FormatPath(key, count))}"
            : $"key {Quote(FormatPath(key, count))} in {scope.Shown}";

    private static string Origin(TomlTable table, TomlPosition keyAt) => table.Origin switch
    {
        TomlTableOrigin.Dotted => $"by dotted keys at {keyAt}",
        TomlTableOrigin.Inline => $"as an inline table at {table.Position}",
        TomlTableOrigin.Implicit => $"implicitly by a header at {keyAt}",
        _ => $"defined at {table.Position}",
    };

    /// <summary>Wraps text in double quotes for a message, unless it already starts with one (a quoted key reads fine as is).</summary>
    private static string Quote(string text) => text.StartsWith('"') ? text : "\"" + text + "\"";

    private static string WithArticle(string noun) => (noun[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + noun;

    private static string FormatPath(List<KeySegment> key, int count = int.MaxValue)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < Math.Min(count, key.Count); i++)
        {
            if (i > 0)
            {
                builder.Append('.');
            }

            builder.Append(FormatKey(key[i].Name));
        }

        return builder.ToString();
    }

    /// <summary>Writes a key as TOML would: bare when it can be, otherwise quoted.</summary>
    private static string FormatKey(string name)
    {
        if (name.Length > 0 && name.All(c => IsBareKeyChar(c)))
        {
            return name;
        }

        if (!name.Contains('\'', StringComparison.Ordinal) && !name.Any(char.IsControl))
        {
            return "'" + name + "'";
        }

        var builder = new StringBuilder("\"");
        foreach (char c in name)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (char.IsControl(c))
            {
                builder.Append($"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }

    private readonly record struct KeySegment(string Name, int Index);

    /// <summary>Where keys are being written, for messages: <see cref="Path"/> is the dotted path from the root,
    /// <see cref="Shown"/> names it in a sentence ("table [a.b]"), <see cref="Header"/> as written ("[a.b]").</summary>
    private readonly record struct Scope(string Path, string Shown, string Header = "")
    {
        public Scope Child(List<KeySegment> key, int count = int.MaxValue)
        {
            string relative = FormatPath(key, count);
            string path = Path.Length == 0 ? relative : Path + "." + relative;
            return new Scope(path, $"inline table {Quote(path)}");
        }
    }
}
