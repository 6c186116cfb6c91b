using System.Collections.Frozen;
using System.Globalization;
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
                PythonEscapes.Read(_source, _text, ref _pos, value, raw);
                continue;
            }

            CheckCharacter(c, _pos);
            value.Append(char.ConvertFromUtf32(c));
            _pos++;
        }

        var text = value.ToString();
        Add(PyTokenKind.String, _source.Slice(start, _pos), start, new PyString(_source.PositionOf(start), text, []));
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
        Add(PyTokenKind.Number, text, start, PythonNumbers.Parse(text, _source.PositionOf(start), _source.Name));
    }

    private bool IsPrefixed(int start) =>
        _text[start] == '0' && start + 1 < _text.Length && _text[start + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B';

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
