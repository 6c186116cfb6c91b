using System.Collections.Frozen;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Inosync.Migration;

/// <summary>
/// Splits a Python file into tokens, with Python's rules for the parts a config file can use: logical lines
/// (brackets and a trailing backslash join physical lines), comments, string literals with every prefix and escape
/// of Python 3 (plus Python 2's <c>ur""</c> and <c>10L</c>), and numbers.
/// </summary>
/// <remarks>
/// Implementation notes: indentation is never meaningful in a file of assignments, so an indented logical line is
/// reported at once instead of producing INDENT tokens. Columns count Unicode scalar values, as the TOML reader's do.
/// </remarks>
internal sealed class PythonTokenizer
{
    // Longest first, so "**=" wins over "**" and "*".
    private static readonly string[] s_operators =
    [
        "**=", "//=", ">>=", "<<=", "...",
        "**", "//", ">>", "<<", "<=", ">=", "==", "!=", "<>", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
        "@=", ":=",
        "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";",
        "=", "`",
    ];

    // Python 3's keywords, plus Python 2's print and exec statements (the old inosync ran on Python 2).
    private static readonly FrozenSet<string> s_keywords = new[]
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "print", "raise", "return", "try", "while", "with", "yield",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly PythonSource _source;
    private readonly int[] _text;
    private readonly List<PyToken> _tokens = [];
    private readonly Stack<(int Close, int Index)> _brackets = new();
    private int _pos;

    private PythonTokenizer(PythonSource source)
    {
        _source = source;
        _text = source.Scalars;
    }

    /// <summary>
    /// The tokens of <paramref name="source"/>. Text that cannot be tokenized ends the list with an
    /// <see cref="PyTokenKind.Error"/> token instead of throwing at once, so that an earlier problem the parser finds
    /// (the <c>if</c> above an indented line) is the one reported: always the first in document order.
    /// </summary>
    public static IReadOnlyList<PyToken> Tokenize(PythonSource source)
    {
        var tokenizer = new PythonTokenizer(source);
        try
        {
            tokenizer.Run();
        }
        catch (Configuration.ConfigException ex)
        {
            tokenizer._tokens.Add(new PyToken(PyTokenKind.Error, "", source.PositionOf(tokenizer._pos)) { Error = ex });
        }

        return tokenizer._tokens;
    }

    private int Current => _pos < _text.Length ? _text[_pos] : -1;

    private int PeekAt(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : -1;

    private void Run()
    {
        bool atLineStart = true;
        bool lineHasTokens = false;
        while (true)
        {
            if (atLineStart)
            {
                int lineStart = _pos;
                SkipBlanks();
                if (Current is -1)
                {
                    break;
                }

                if (Current is '\n' or '#')
                {
                    // Blank and comment-only lines are not logical lines: their indentation does not matter.
                    SkipComment();
                    _pos++;
                    continue;
                }

                if (_pos > lineStart)
                {
                    throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(_pos),
                        "unexpected indentation (a statement must start in column 1)");
                }

                atLineStart = false;
            }

            SkipBlanks();
            int c = Current;
            if (c is -1)
            {
                break;
            }

            if (c == '#')
            {
                SkipComment();
                continue;
            }

            if (c == '\n')
            {
                _pos++;
                if (_brackets.Count == 0)
                {
                    if (lineHasTokens)
                    {
                        Add(PyTokenKind.Newline, "", _pos - 1);
                    }

                    atLineStart = true;
                    lineHasTokens = false;
                }

                continue;
            }

            if (c == '\\')
            {
                if (PeekAt(1) == '\n')
                {
                    // Explicit line joining.
                    _pos += 2;
                    continue;
                }

                throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(_pos), PeekAt(1) == -1
                    ? "a backslash at the end of the file (nothing to continue)"
                    : "a backslash outside a string must end the line (it joins the next line)");
            }

            lineHasTokens = true;
            if (IsIdentifierStart(c))
            {
                ReadNameOrPrefixedString();
            }
            else if (c is '"' or '\'')
            {
                ReadString(_pos, "");
            }
            else if (IsDigit(c) || (c == '.' && IsDigit(PeekAt(1))))
            {
                ReadNumber();
            }
            else
            {
                ReadOperator();
            }
        }

        if (_brackets.Count > 0)
        {
            var (close, index) = _brackets.Peek();
            throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(index),
                $"'{OpeningOf(close)}' is never closed (expected '{(char)close}' before the end of the file)");
        }

        if (lineHasTokens)
        {
            Add(PyTokenKind.Newline, "", _pos);
        }

        Add(PyTokenKind.End, "", _pos);
    }

    private void SkipBlanks()
    {
        while (Current is ' ' or '\t' or '\f')
        {
            _pos++;
        }
    }

    private void SkipComment()
    {
        while (Current is not -1 and not '\n')
        {
            _pos++;
        }
    }

    private void Add(PyTokenKind kind, string text, int start, PyValue? value = null) =>
        _tokens.Add(new PyToken(kind, text, _source.PositionOf(start), value));

    private void ReadNameOrPrefixedString()
    {
        int start = _pos;
        while (IsIdentifierPart(Current))
        {
            _pos++;
        }

        string name = _source.Slice(start, _pos);
        if (Current is '"' or '\'' && name.Length <= 2 && name.All(ch => "rRuUbBfF".Contains(ch, StringComparison.Ordinal)))
        {
            ReadString(start, name);
            return;
        }

        Add(s_keywords.Contains(name) ? PyTokenKind.Keyword : PyTokenKind.Name, name, start);
    }

    private void ReadString(int start, string prefix)
    {
        string kind = prefix.ToUpperInvariant();
        if (kind.Contains('F', StringComparison.Ordinal))
        {
            throw ConversionErrors.Unsupported(_source.Name, _source.PositionOf(start), "an f-string (formatted string literal)");
        }

        if (kind.Contains('B', StringComparison.Ordinal))
        {
            throw ConversionErrors.Unsupported(_source.Name, _source.PositionOf(start), "a bytes literal b\"…\"");
        }

        if (kind.Length == 2 && kind != "UR")
        {
            // "rr", "uu": not a prefix Python knows.
            throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(start), $"'{prefix}' is not a string prefix");
        }

        bool raw = kind.Contains('R', StringComparison.Ordinal);
        int quote = Current;
        bool triple = PeekAt(1) == quote && PeekAt(2) == quote;
        _pos += triple ? 3 : 1;
        var value = new StringBuilder();
        while (true)
        {
            int c = Current;
            if (c == -1 || (c == '\n' && !triple))
            {
                throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(start), triple
                    ? "unterminated triple-quoted string (no closing " + new string((char)quote, 3) + " before the end of the file)"
                    : $"unterminated string (no closing {(char)quote} before the end of the line)");
            }

            if (c == quote && (!triple || (PeekAt(1) == quote && PeekAt(2) == quote)))
            {
                _pos += triple ? 3 : 1;
                break;
            }

            if (c == '\\')
            {
                ReadEscape(value, raw);
                continue;
            }

            CheckCharacter(c, _pos);
            value.Append(char.ConvertFromUtf32(c));
            _pos++;
        }

        var text = value.ToString();
        Add(PyTokenKind.String, _source.Slice(start, _pos), start, new PyString(_source.PositionOf(start), text, []));
    }

    private void ReadEscape(StringBuilder value, bool raw)
    {
        int escapeStart = _pos;
        int next = PeekAt(1);
        if (next == -1)
        {
            _pos++;
            return; // The loop reports the unterminated string.
        }

        if (raw)
        {
            // In a raw string a backslash only keeps the next character from ending the string; both stay.
            value.Append('\\').Append(char.ConvertFromUtf32(next));
            _pos += 2;
            return;
        }

        _pos += 2;
        switch (next)
        {
            case '\n':
                return;
            case '\\' or '\'' or '"':
                value.Append((char)next);
                return;
            case 'a': value.Append('\a'); return;
            case 'b': value.Append('\b'); return;
            case 'f': value.Append('\f'); return;
            case 'n': value.Append('\n'); return;
            case 'r': value.Append('\r'); return;
            case 't': value.Append('\t'); return;
            case 'v': value.Append('\v'); return;
            case >= '0' and <= '7':
                {
                    int code = next - '0';
                    for (int i = 0; i < 2 && Current is >= '0' and <= '7'; i++)
                    {
                        code = (code * 8) + (Current - '0');
                        _pos++;
                    }

                    value.Append((char)code);
                    return;
                }

            case 'x':
                value.Append(char.ConvertFromUtf32(ReadHexEscape(escapeStart, 2)));
                return;
            case 'u':
                value.Append(char.ConvertFromUtf32(ReadHexEscape(escapeStart, 4)));
                return;
            case 'U':
                value.Append(char.ConvertFromUtf32(ReadHexEscape(escapeStart, 8)));
                return;
            case 'N':
                throw ConversionErrors.Value(_source.Name, _source.PositionOf(escapeStart),
                    "\\N{…} escapes are not supported: write the character itself or a \\u escape");
            default:
                // Python keeps an unknown escape as it is, backslash included.
                value.Append('\\');
                _pos--;
                return;
        }
    }

    private int ReadHexEscape(int escapeStart, int digits)
    {
        int code = 0;
        for (int i = 0; i < digits; i++)
        {
            int c = Current;
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(escapeStart),
                    $"truncated escape {_source.Slice(escapeStart, _pos)} (it needs {digits} hex digits)");
            }

            code = (code * 16) + digit;
            _pos++;
            if (code > 0x10FFFF)
            {
                throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(escapeStart),
                    $"escape {_source.Slice(escapeStart, escapeStart + 2 + digits)} is beyond U+10FFFF");
            }
        }

        if (code is >= 0xD800 and <= 0xDFFF)
        {
            // Python keeps lone surrogates in strings; TOML (UTF-8) cannot hold them.
            throw ConversionErrors.Value(_source.Name, _source.PositionOf(escapeStart),
                $"escape {_source.Slice(escapeStart, _pos)} is a UTF-16 surrogate, which a TOML string cannot hold");
        }

        return code;
    }

    private void ReadNumber()
    {
        int start = _pos;
        if (Current == '0' && PeekAt(1) is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            _pos += 2;
        }

        while (true)
        {
            int c = Current;
            if (c is 'e' or 'E' && !IsPrefixed(start) && PeekAt(1) is '+' or '-' && IsDigit(PeekAt(2)))
            {
                _pos += 3;
            }
            else if (IsIdentifierPart(c) || c == '.')
            {
                _pos++;
            }
            else
            {
                break;
            }
        }

        string text = _source.Slice(start, _pos);
        Add(PyTokenKind.Number, text, start, ParseNumber(text, _source.PositionOf(start)));
    }

    private bool IsPrefixed(int start) =>
        _text[start] == '0' && start + 1 < _text.Length && _text[start + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B';

    private PyValue ParseNumber(string text, PyPosition at)
    {
        string digits = text;
        if (digits.EndsWith('j') || digits.EndsWith('J'))
        {
            throw ConversionErrors.Unsupported(_source.Name, at, $"the complex number {text}");
        }

        if (digits.EndsWith('L') || digits.EndsWith('l'))
        {
            // Python 2's long integers: 10L.
            digits = digits[..^1];
        }

        if (digits.StartsWith('_') || digits.EndsWith('_') || digits.Contains("__", StringComparison.Ordinal)
            || digits.Contains("_.", StringComparison.Ordinal) || digits.Contains("._", StringComparison.Ordinal))
        {
            throw InvalidNumber(text, at);
        }

        digits = digits.Replace("_", "", StringComparison.Ordinal);
        if (digits.Length > 2 && digits[0] == '0' && char.IsAsciiLetter(digits[1]))
        {
            int radix = char.ToUpperInvariant(digits[1]) switch { 'X' => 16, 'O' => 8, 'B' => 2, _ => 0 };
            return new PyInteger(at, ParseInteger(digits[2..], radix, text, at));
        }

        if (digits.All(char.IsAsciiDigit))
        {
            if (digits.Length > 1 && digits[0] == '0' && digits.Any(ch => ch != '0'))
            {
                throw ConversionErrors.Value(_source.Name, at,
                    $"the number {text} has a leading zero: Python 2 read it as octal, Python 3 rejects it (write 0o{digits.TrimStart('0')} for octal)");
            }

            return new PyInteger(at, ParseInteger(digits, 10, text, at));
        }

        if (digits.All(ch => char.IsAsciiDigit(ch) || ch is '.' or 'e' or 'E' or '+' or '-')
            && digits.Count(ch => ch == '.') <= 1
            && double.TryParse(digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double number))
        {
            return new PyFloat(at, number);
        }

        throw InvalidNumber(text, at);
    }

    private long ParseInteger(string digits, int radix, string text, PyPosition at)
    {
        if (digits.Length == 0)
        {
            throw InvalidNumber(text, at);
        }

        BigInteger value = BigInteger.Zero;
        foreach (char ch in digits)
        {
            int digit = char.IsAsciiDigit(ch) ? ch - '0' : char.IsAsciiLetter(ch) ? char.ToUpperInvariant(ch) - 'A' + 10 : radix;
            if (digit >= radix)
            {
                throw InvalidNumber(text, at);
            }

            value = (value * radix) + digit;
        }

        return value <= long.MaxValue
            ? (long)value
            : throw ConversionErrors.Value(_source.Name, at, $"the integer {text} is too large (at most {long.MaxValue})");
    }

    private Configuration.ConfigException InvalidNumber(string text, PyPosition at) =>
        ConversionErrors.Invalid(_source.Name, at, $"'{text}' is not a number");

    private void ReadOperator()
    {
        int start = _pos;
        foreach (string op in s_operators)
        {
            if (Matches(op))
            {
                _pos += op.Length;
                TrackBracket(op[0], start);
                Add(PyTokenKind.Operator, op, start);
                return;
            }
        }

        int c = Current;
        CheckCharacter(c, start);
        throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(start),
            $"unexpected character '{char.ConvertFromUtf32(c)}'");
    }

    private bool Matches(string op)
    {
        for (int i = 0; i < op.Length; i++)
        {
            if (PeekAt(i) != op[i])
            {
                return false;
            }
        }

        return true;
    }

    private void TrackBracket(char c, int index)
    {
        switch (c)
        {
            case '(':
                _brackets.Push((')', index));
                break;
            case '[':
                _brackets.Push((']', index));
                break;
            case '{':
                _brackets.Push(('}', index));
                break;
            case ')' or ']' or '}':
                if (_brackets.Count == 0)
                {
                    throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(index), $"unmatched '{c}'");
                }

                var (close, open) = _brackets.Pop();
                if (close != c)
                {
                    throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(index),
                        $"'{c}' does not close the '{OpeningOf(close)}' at {_source.PositionOf(open)} (expected '{(char)close}')");
                }

                break;
        }
    }

    private static char OpeningOf(int close) => close switch { ')' => '(', ']' => '[', _ => '{' };

    private void CheckCharacter(int c, int index)
    {
        // Python refuses NUL in source; other control characters in a config are almost surely damage.
        if (c == 0 || (c < 0x20 && c is not '\t' and not '\n' and not '\f') || c == 0x7F)
        {
            throw ConversionErrors.Invalid(_source.Name, _source.PositionOf(index),
                $"control character U+{c.ToString("X4", CultureInfo.InvariantCulture)} in the file");
        }
    }

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(int c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (c > 0x7F && Rune.IsLetter(new Rune(c)));

    private static bool IsIdentifierPart(int c) =>
        IsIdentifierStart(c) || IsDigit(c) || (c > 0x7F && (Rune.IsDigit(new Rune(c))
            || Rune.GetUnicodeCategory(new Rune(c)) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.ConnectorPunctuation));
}
