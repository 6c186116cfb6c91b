using System.Globalization;
using System.Text;

namespace Inosync.Toml;

/// <summary>Values: strings, numbers, booleans, date-times, arrays and inline tables.</summary>
internal sealed partial class TomlParser
{
    /// <summary>Parses the value at the cursor. <paramref name="what"/> completes "expected a value ..." messages.</summary>
    private TomlNode ParseValue(string what, Scope scope)
    {
        int start = _pos;
        int c = Peek();
        switch (c)
        {
            case '"':
            case '\'':
                bool multiLine = PeekAt(1) == c && PeekAt(2) == c;
                string text = (c, multiLine) switch
                {
                    ('"', false) => ParseBasicString(start),
                    ('"', true) => ParseMultiLineBasicString(start),
                    (_, false) => ParseLiteralString(start),
                    _ => ParseMultiLineLiteralString(start),
                };
                return new TomlString(text, Position(start));
            case '[':
                return Nested(() => ParseArray(scope));
            case '{':
                return Nested(() => ParseInlineTable(scope));
            case Eof or '\n' or '\r' or '#' or ',' or ']' or '}' or '=':
                throw Error(start, $"expected a value {what}, found {Describe(c)}");
        }

        while (IsTokenChar(Peek()))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Error(start, $"expected a value {what}, found {Describe(c)}");
        }

        string token = Slice(start, _pos);

        // A date and a time may be separated by a space ("1979-05-27 07:32:00"), which ends a token.
        if (IsFullDate(token) && Peek() == ' ' && IsDigit(PeekAt(1)))
        {
            _pos++;
            int timeStart = _pos;
            while (IsTokenChar(Peek()))
            {
                _pos++;
            }

            token += "T" + Slice(timeStart, _pos);
        }

        TomlPosition at = Position(start);
        return token switch
        {
            "true" => new TomlBoolean(true, at),
            "false" => new TomlBoolean(false, at),
            "inf" or "+inf" => new TomlFloat(double.PositiveInfinity, at),
            "-inf" => new TomlFloat(double.NegativeInfinity, at),
            "nan" or "+nan" or "-nan" => new TomlFloat(double.NaN, at),
            _ when IsDigit(token[0]) && LooksLikeDateOrTime(token) => ParseDateTime(token, start),
            _ when IsDigit(token[0]) || token[0] is '+' or '-' => ParseNumber(token, start),
            _ => throw Error(start, $"expected a value {what}, found {Quote(token)} (strings must be in quotes; booleans are lower-case true/false)"),
        };
    }

    private TomlNode Nested(Func<TomlNode> parse)
    {
        if (++_depth > MaxNesting)
        {
            throw Error(_pos, $"arrays and inline tables are nested more than {MaxNesting} deep");
        }

        TomlNode node = parse();
        _depth--;
        return node;
    }

    private TomlArray ParseArray(Scope scope)
    {
        int start = _pos;
        _pos++;
        var array = new TomlArray(Position(start));
        while (true)
        {
            SkipWhitespaceCommentsAndNewlines();
            if (Peek() == ']')
            {
                _pos++;
                return array;
            }

            array.Add(ParseValue($"in the array started at {array.Position}", scope));
            SkipWhitespaceCommentsAndNewlines();
            int c = Peek();
            if (c == ',')
            {
                _pos++;
            }
            else if (c == ']')
            {
                _pos++;
                return array;
            }
            else
            {
                throw Error(_pos, $"expected ',' or ']' in the array started at {array.Position}, found {Describe(c)}");
            }
        }
    }

    private TomlTable ParseInlineTable(Scope scope)
    {
        int start = _pos;
        _pos++;

        // Frozen from the start: a nested dotted key may extend tables made inside the braces, never this one's
        // inline children, and nothing outside may touch it afterwards.
        var table = new TomlTable(Position(start), TomlTableOrigin.Inline);
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            return table;
        }

        while (true)
        {
            SkipWhitespace();
            RejectNewlineInInlineTable(table);
            ParseKeyValue(table, scope);
            SkipWhitespace();
            RejectNewlineInInlineTable(table);
            int c = Peek();
            if (c == '}')
            {
                _pos++;
                return table;
            }

            if (c != ',')
            {
                throw Error(_pos, $"expected ',' or '}}' in the inline table started at {table.Position}, found {Describe(c)}");
            }

            _pos++;
            SkipWhitespace();
            if (Peek() == '}')
            {
                throw Error(_pos, "a trailing comma is not allowed in an inline table (TOML 1.0)");
            }
        }
    }

    private void RejectNewlineInInlineTable(TomlTable table)
    {
        int c = Peek();
        if (c is '\n' or '\r' or '#' or Eof)
        {
            throw Error(_pos, $"expected '}}' to close the inline table started at {table.Position} on the same line, found {Describe(c)} (TOML 1.0 inline tables are single-line; use a [table] instead)");
        }
    }

    private void SkipWhitespaceCommentsAndNewlines()
    {
        while (true)
        {
            switch (Peek())
            {
                case ' ' or '\t' or '\n':
                    _pos++;
                    break;
                case '\r':
                    _pos += 2;
                    break;
                case '#':
                    SkipComment();
                    break;
                default:
                    return;
            }
        }
    }

    // ---- strings ----

    private string ParseBasicString(int start)
    {
        _pos++;
        var builder = new StringBuilder();
        while (true)
        {
            int c = Peek();
            switch (c)
            {
                case '"':
                    _pos++;
                    return builder.ToString();
                case '\\':
                    ParseEscape(builder, multiLine: false);
                    break;
                case Eof or '\n' or '\r':
                    throw Error(_pos, $"expected '\"' to close the string started at {Position(start)}, found {Describe(c)} (use \"\"\" for a multi-line string)");
                default:
                    AppendScalar(builder, c);
                    _pos++;
                    break;
            }
        }
    }

    private string ParseMultiLineBasicString(int start)
    {
        _pos += 3;
        SkipNewlineAfterOpeningDelimiter();
        var builder = new StringBuilder();
        while (true)
        {
            int c = Peek();
            switch (c)
            {
                case '"':
                    if (TryCloseMultiLine(builder, '"'))
                    {
                        return builder.ToString();
                    }

                    break;
                case '\\':
                    ParseEscape(builder, multiLine: true);
                    break;
                case Eof:
                    throw Error(_pos, $"expected '\"\"\"' to close the multi-line string started at {Position(start)}, found the end of the file");
                default:
                    AppendScalar(builder, c);
                    _pos++;
                    break;
            }
        }
    }

    private string ParseLiteralString(int start)
    {
        _pos++;
        var builder = new StringBuilder();
        while (true)
        {
            int c = Peek();
            switch (c)
            {
                case '\'':
                    _pos++;
                    return builder.ToString();
                case Eof or '\n' or '\r':
                    throw Error(_pos, $"expected \"'\" to close the literal string started at {Position(start)}, found {Describe(c)} (use ''' for a multi-line string)");
                default:
                    AppendScalar(builder, c);
                    _pos++;
                    break;
            }
        }
    }

    private string ParseMultiLineLiteralString(int start)
    {
        _pos += 3;
        SkipNewlineAfterOpeningDelimiter();
        var builder = new StringBuilder();
        while (true)
        {
            int c = Peek();
            if (c == '\'')
            {
                if (TryCloseMultiLine(builder, '\''))
                {
                    return builder.ToString();
                }
            }
            else if (c == Eof)
            {
                throw Error(_pos, $"expected \"'''\" to close the multi-line literal string started at {Position(start)}, found the end of the file");
            }
            else
            {
                AppendScalar(builder, c);
                _pos++;
            }
        }
    }

    private void SkipNewlineAfterOpeningDelimiter()
    {
        if (Peek() == '\n')
        {
            _pos++;
        }
        else if (Peek() == '\r')
        {
            _pos += 2;
        }
    }

    /// <summary>
    /// At a run of quotes inside a multi-line string: one or two are content; three or more close the string, and up
    /// to two more before the closing three are content (<c>""""</c> ends with one quote). A sixth is left for the
    /// caller to reject as text after the value.
    /// </summary>
    private bool TryCloseMultiLine(StringBuilder builder, char quote)
    {
        int run = 0;
        while (run < 5 && PeekAt(run) == quote)
        {
            run++;
        }

        if (run < 3)
        {
            builder.Append(quote, run);
            _pos += run;
            return false;
        }

        builder.Append(quote, run - 3);
        _pos += run;
        return true;
    }

    private void ParseEscape(StringBuilder builder, bool multiLine)
    {
        int start = _pos;
        _pos++;
        int c = Peek();
        switch (c)
        {
            case 'b': builder.Append('\b'); break;
            case 't': builder.Append('\t'); break;
            case 'n': builder.Append('\n'); break;
            case 'f': builder.Append('\f'); break;
            case 'r': builder.Append('\r'); break;
            case '"': builder.Append('"'); break;
            case '\\': builder.Append('\\'); break;
            case 'u':
            case 'U':
                _pos++;
                AppendScalar(builder, ParseUnicodeEscape(start, c == 'u' ? 4 : 8));
                return;
            case ' ' or '\t' or '\n' or '\r' when multiLine:
                SkipLineEndingBackslash(start);
                return;
            default:
                string shown = c is > ' ' and < 0x7F ? Quote("\\" + (char)c) : $"'\\' followed by {Describe(c)}";
                throw Error(start, $"invalid escape sequence {shown} (TOML 1.0 allows \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX; write \\\\ for a backslash)");
        }

        _pos++;
    }

    private int ParseUnicodeEscape(int start, int digits)
    {
        int scalar = 0;
        for (int i = 0; i < digits; i++)
        {
            int value = HexValue(Peek());
            if (value < 0)
            {
                throw Error(_pos, $"expected {digits} hex digits after {(digits == 4 ? "\\u" : "\\U")}, found {Describe(Peek())}");
            }

            scalar = (scalar << 4) | value;
            _pos++;
        }

        // Eight hex digits can exceed int range; the top nibble alone would say so, but the message names the escape.
        if (scalar is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
        {
            string written = Slice(start, _pos);
            throw Error(start, $"escape {Quote(written)} is not a Unicode scalar value (must be U+0000-U+D7FF or U+E000-U+10FFFF)");
        }

        return scalar;
    }

    /// <summary>A backslash that ends a line (trailing whitespace allowed) removes itself and all whitespace and newlines after it.</summary>
    private void SkipLineEndingBackslash(int start)
    {
        SkipWhitespace();
        if (Peek() is not ('\n' or '\r'))
        {
            throw Error(start, "a backslash followed by whitespace must end the line (a line-ending backslash); write \\\\ for a backslash");
        }

        SkipWhitespaceAndNewlines();
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (true)
        {
            switch (Peek())
            {
                case ' ' or '\t' or '\n':
                    _pos++;
                    break;
                case '\r':
                    _pos += 2;
                    break;
                default:
                    return;
            }
        }
    }

    // ---- numbers ----

    private TomlNode ParseNumber(string token, int start)
    {
        TomlPosition at = Position(start);
        string sign = token[0] is '+' or '-' ? token[..1] : "";
        string body = token[sign.Length..];

        if (body.Length >= 2 && body[0] == '0' && body[1] is 'x' or 'o' or 'b')
        {
            if (sign.Length > 0)
            {
                throw Error(start, $"invalid number {Quote(token)}: hexadecimal, octal and binary integers cannot have a sign");
            }

            return new TomlInteger(ParseRadixInteger(token, start), at);
        }

        if (body.Length == 0 || !IsDigit(body[0]))
        {
            throw Error(start, $"invalid number {Quote(token)}: expected a digit after the sign");
        }

        int split = body.IndexOfAny(['.', 'e', 'E']);
        string integerPart = CleanDigits(token, split < 0 ? body : body[..split], "", start);
        if (integerPart.Length > 1 && integerPart[0] == '0')
        {
            throw Error(start, $"invalid number {Quote(token)}: leading zeros are not allowed");
        }

        if (split < 0)
        {
            if (!long.TryParse(sign + integerPart, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                throw Error(start, $"integer {Quote(token)} is out of range (-9223372036854775808 to 9223372036854775807)");
            }

            return new TomlInteger(integer, at);
        }

        string rest = body[split..];
        string fraction = "";
        if (rest[0] == '.')
        {
            int exponentAt = rest.IndexOfAny(['e', 'E']);
            string digits = exponentAt < 0 ? rest[1..] : rest[1..exponentAt];
            fraction = "." + CleanDigits(token, digits, " after the decimal point", start);
            rest = exponentAt < 0 ? "" : rest[exponentAt..];
        }

        string exponent = "";
        if (rest.Length > 0)
        {
            // rest starts with 'e' or 'E'.
            string digits = rest[1..];
            string exponentSign = digits.Length > 0 && digits[0] is '+' or '-' ? digits[..1] : "";
            exponent = "e" + exponentSign + CleanDigits(token, digits[exponentSign.Length..], " in the exponent", start);
        }

        double value = double.Parse(sign + integerPart + fraction + exponent, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
        {
            throw Error(start, $"float {Quote(token)} is out of range for a 64-bit float");
        }

        return new TomlFloat(value, at);
    }

    /// <summary>Checks a run of decimal digits where underscores may only sit between digits; returns it without them.</summary>
    private string CleanDigits(string token, string digits, string where, int start)
    {
        if (digits.Length == 0)
        {
            throw Error(start, $"invalid number {Quote(token)}: expected digits{where}");
        }

        var clean = new StringBuilder(digits.Length);
        for (int i = 0; i < digits.Length; i++)
        {
            char c = digits[i];
            if (IsDigit(c))
            {
                clean.Append(c);
            }
            else if (c == '_')
            {
                if (i == 0 || i == digits.Length - 1 || !IsDigit(digits[i - 1]) || !IsDigit(digits[i + 1]))
                {
                    throw Error(start, $"invalid number {Quote(token)}: an underscore must be between two digits");
                }
            }
            else
            {
                throw Error(start, $"invalid number {Quote(token)}: unexpected {Describe(c)}{where}");
            }
        }

        return clean.ToString();
    }

    private long ParseRadixInteger(string token, int start)
    {
        (int radix, string name) = token[1] switch
        {
            'x' => (16, "hexadecimal"),
            'o' => (8, "octal"),
            _ => (2, "binary"),
        };

        string digits = token[2..];
        if (digits.Length == 0)
        {
            throw Error(start, $"invalid number {Quote(token)}: expected {name} digits after {Quote(token[..2])}");
        }

        ulong value = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            char c = digits[i];
            int digit = HexValue(c);
            if (c == '_')
            {
                if (i == 0 || i == digits.Length - 1 || digits[i - 1] == '_')
                {
                    throw Error(start, $"invalid number {Quote(token)}: an underscore must be between two digits");
                }

                continue;
            }

            if (digit < 0 || digit >= radix)
            {
                throw Error(start, $"invalid number {Quote(token)}: {Describe(c)} is not {WithArticle(name)} digit");
            }

            value = (value * (ulong)radix) + (ulong)digit;
            if (value > long.MaxValue)
            {
                throw Error(start, $"integer {Quote(token)} is out of range (at most 9223372036854775807)");
            }
        }

        return (long)value;
    }

    // ---- date-times ----

    private TomlDateTime ParseDateTime(string token, int start)
    {
        // Shape is checked character by character, so "1979-5-27" fails here rather than becoming something else.
        var reader = new DateTimeReader(token, this, start);
        TomlDateTimeKind kind;
        int colon = token.IndexOf(':', StringComparison.Ordinal);
        int dash = token.IndexOf('-', StringComparison.Ordinal);
        if (colon >= 0 && (dash < 0 || colon < dash))
        {
            reader.Time();
            kind = TomlDateTimeKind.LocalTime;
        }
        else
        {
            reader.Date();
            if (reader.AtEnd)
            {
                kind = TomlDateTimeKind.LocalDate;
            }
            else
            {
                reader.Expect("'T' or a space between the date and the time", 'T', 't');
                reader.Time();
                kind = reader.AtEnd ? TomlDateTimeKind.LocalDateTime : TomlDateTimeKind.OffsetDateTime;
                if (!reader.AtEnd)
                {
                    reader.Offset();
                }
            }
        }

        reader.End();

        // The only letters that can remain are T/t and Z/z; the canonical form uses upper case.
        return new TomlDateTime(kind, token.ToUpperInvariant(), Position(start));
    }

    private static bool LooksLikeDateOrTime(string token)
    {
        if (token.Contains(':', StringComparison.Ordinal))
        {
            return true;
        }

        // "2001-02-03" or "123-45" (a mistyped date) but not "1e-5" or "0x1-2".
        int dash = token.IndexOf('-', StringComparison.Ordinal);
        bool radixPrefix = token.Length > 1 && token[0] == '0' && token[1] is 'x' or 'o' or 'b';
        return dash > 0 && IsDigit(token[dash - 1]) && !radixPrefix && token.IndexOfAny(['e', 'E']) < 0;
    }

    private static bool IsFullDate(string token) =>
        token.Length == 10 && token[4] == '-' && token[7] == '-'
        && token.Where((c, i) => i is not (4 or 7)).All(IsDigit);

    private static bool IsTokenChar(int c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '+' or '.' or ':';

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Reads the fixed-width fields of an RFC 3339 date-time and validates their ranges.</summary>
    private sealed class DateTimeReader(string token, TomlParser parser, int start)
    {
        private int _index;

        public bool AtEnd => _index == token.Length;

        public void Date()
        {
            int year = Number(4, "a 4-digit year");
            Expect("'-' after the year", '-');
            int month = Number(2, "a 2-digit month");
            Expect("'-' after the month", '-');
            int day = Number(2, "a 2-digit day");
            if (month is < 1 or > 12)
            {
                throw Fail($"month {month:D2} is not 01-12");
            }

            int days = month == 2 && IsLeapYear(year) ? 29 : s_daysInMonth[month - 1];
            if (day < 1 || day > days)
            {
                throw Fail($"day {day:D2} is not 01-{days} ({CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year:D4} has {days} days)");
            }
        }

        public void Time()
        {
            int hour = Number(2, "a 2-digit hour");
            Expect("':' after the hour", ':');
            int minute = Number(2, "a 2-digit minute");
            if (AtEnd || token[_index] != ':')
            {
                throw Fail("seconds are required (write hh:mm:ss)");
            }

            _index++;
            int second = Number(2, "2-digit seconds");
            if (!AtEnd && token[_index] == '.')
            {
                _index++;
                int digitsStart = _index;
                while (!AtEnd && IsDigit(token[_index]))
                {
                    _index++;
                }

                if (_index == digitsStart)
                {
                    throw Fail("expected digits after the decimal point in the seconds");
                }
            }

            if (hour > 23 || minute > 59 || second > 60)
            {
                // 60 is RFC 3339's leap second.
                throw Fail($"time {hour:D2}:{minute:D2}:{second:D2} is out of range (00:00:00-23:59:60)");
            }
        }

        public void Offset()
        {
            char c = token[_index];
            if (c is 'Z' or 'z')
            {
                _index++;
                return;
            }

            Expect("a time zone offset (Z, +hh:mm or -hh:mm) or nothing after the time", '+', '-');
            int hour = Number(2, "a 2-digit offset hour");
            Expect("':' in the time zone offset", ':');
            int minute = Number(2, "2-digit offset minutes");
            if (hour > 23 || minute > 59)
            {
                throw Fail($"time zone offset {hour:D2}:{minute:D2} is out of range");
            }
        }

        public void End()
        {
            if (!AtEnd)
            {
                throw Fail($"unexpected {Describe(token[_index])}");
            }
        }

        public void Expect(string what, char option1, char option2 = '\0')
        {
            if (AtEnd || (token[_index] != option1 && token[_index] != option2))
            {
                throw Fail($"expected {what}");
            }

            _index++;
        }

        private int Number(int digits, string what)
        {
            int value = 0;
            for (int i = 0; i < digits; i++)
            {
                if (AtEnd || !IsDigit(token[_index]))
                {
                    throw Fail($"expected {what}");
                }

                value = (value * 10) + (token[_index] - '0');
                _index++;
            }

            return value;
        }

        private TomlException Fail(string reason) =>
            parser.Error(start, $"invalid date/time {Quote(token)}: {reason}");

        private static bool IsLeapYear(int year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

        private static readonly int[] s_daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    }
}
