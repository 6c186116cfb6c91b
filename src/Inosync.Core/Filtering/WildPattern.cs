namespace Inosync.Filtering;

/// <summary>
/// One rsync wildcard pattern, compiled, matched against a whole UTF-8 text.
/// </summary>
/// <remarks>
/// Implementation notes.
/// rsync compares bytes, not characters: '?' and a class match one byte, so "?.txt" does not match "é.txt"
/// (two bytes). We match on UTF-8 bytes for the same answers. Tokens: a literal byte, '?' (one byte but '/'),
/// '*' (any run without '/'), '**' or longer (any run), and a class (a 256-bit set that never holds '/').
/// Matching simulates the token automaton (a set of token positions advanced one byte at a time), so it is
/// O(text × tokens) with no backtracking blow-up, and it allocates nothing for patterns up to 255 tokens.
/// </remarks>
internal sealed class WildPattern
{
    private const int StackStates = 256;

    private readonly Token[] _tokens;

    // Four 64-bit words per class; a token's Value is its class index.
    private readonly ulong[] _classes;

    // Non-null when every token is a literal byte: matching is then a plain comparison.
    private readonly byte[]? _literal;

    private WildPattern(Token[] tokens, ulong[] classes, byte[]? literal)
    {
        _tokens = tokens;
        _classes = classes;
        _literal = literal;
    }

    private enum TokenKind : byte
    {
        Literal,
        AnyByte,
        Star,
        StarStar,
        Class,
    }

    /// <summary>A pattern without wildcards: every byte, backslashes included, stands for itself (as in rsync).</summary>
    public static WildPattern Literal(ReadOnlySpan<byte> text) => new([], [], text.ToArray());

    /// <summary>Compiles a pattern that has wildcards.</summary>
    /// <exception cref="FormatException">rsync could never match it: an unterminated '[', an unknown [:class:], or a
    /// trailing lone '\'; the message says which.</exception>
    public static WildPattern Parse(ReadOnlySpan<byte> pattern)
    {
        var tokens = new List<Token>(pattern.Length);
        var classes = new List<ulong>();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            switch (c)
            {
                case (byte)'\\':
                    if (i + 1 >= pattern.Length)
                    {
                        throw Invalid("it ends with a lone '\\' (escape it as '\\\\')");
                    }

                    tokens.Add(new Token(TokenKind.Literal, pattern[i + 1]));
                    i += 2;
                    break;
                case (byte)'?':
                    tokens.Add(new Token(TokenKind.AnyByte, 0));
                    i++;
                    break;
                case (byte)'*':
                    var run = 1;
                    while (i + run < pattern.Length && pattern[i + run] == '*')
                    {
                        run++;
                    }

                    tokens.Add(new Token(run == 1 ? TokenKind.Star : TokenKind.StarStar, 0));
                    i += run;
                    break;
                case (byte)'[':
                    var index = classes.Count / 4;
                    i = ParseClass(pattern, i, classes);
                    tokens.Add(new Token(TokenKind.Class, index));
                    break;
                default:
                    tokens.Add(new Token(TokenKind.Literal, c));
                    i++;
                    break;
            }
        }

        return new WildPattern([.. tokens], [.. classes], null);
    }

    /// <summary>True when the pattern matches all of <paramref name="text"/>.</summary>
    public bool IsMatch(ReadOnlySpan<byte> text) =>
        _literal is not null ? text.SequenceEqual(_literal) : Run(text, restartAfterSlash: false);

    /// <summary>True when the pattern matches the end of <paramref name="text"/> from its start or from just after any '/'.</summary>
    public bool IsMatchAfterAnySlash(ReadOnlySpan<byte> text)
    {
        if (_literal is null)
        {
            return Run(text, restartAfterSlash: true);
        }

        return text.EndsWith(_literal)
            && (text.Length == _literal.Length || text[text.Length - _literal.Length - 1] == '/');
    }

    private bool Run(ReadOnlySpan<byte> text, bool restartAfterSlash)
    {
        var width = _tokens.Length + 1;
        Span<bool> current = width <= StackStates ? stackalloc bool[width] : new bool[width];
        Span<bool> next = width <= StackStates ? stackalloc bool[width] : new bool[width];
        current.Clear();
        Enter(current, 0);

        foreach (var c in text)
        {
            next.Clear();
            var alive = false;
            for (var s = 0; s < _tokens.Length; s++)
            {
                if (!current[s])
                {
                    continue;
                }

                var token = _tokens[s];
                var target = token.Kind switch
                {
                    TokenKind.Literal => c == token.Value ? s + 1 : -1,
                    TokenKind.AnyByte => c != '/' ? s + 1 : -1,
                    TokenKind.Star => c != '/' ? s : -1,
                    TokenKind.StarStar => s,
                    _ => InClass(token.Value, c) ? s + 1 : -1,
                };
                if (target >= 0)
                {
                    Enter(next, target);
                    alive = true;
                }
            }

            if (restartAfterSlash && c == '/')
            {
                Enter(next, 0);
                alive = true;
            }

            // Nothing left alive: no match, unless a later '/' may still start one.
            if (!alive && !restartAfterSlash)
            {
                return false;
            }

            var swap = current;
            current = next;
            next = swap;
        }

        return current[_tokens.Length];
    }

    // Activates a position and, since stars may match nothing, every position reachable by skipping stars.
    private void Enter(Span<bool> states, int position)
    {
        while (!states[position])
        {
            states[position] = true;
            if (position == _tokens.Length || _tokens[position].Kind is not (TokenKind.Star or TokenKind.StarStar))
            {
                return;
            }

            position++;
        }
    }

    private bool InClass(int index, byte c) => (_classes[(index * 4) + (c >> 6)] & (1UL << (c & 63))) != 0;

    // Parses "[...]" starting at pattern[open] the way rsync reads it: '!' or '^' negates; a ']' first is a member;
    // '\x' is x; "a-z" is a range (after a range or a [:class:] a '-' is literal again); "[:name:]" is a
    // C-locale class; "[:" not closed by ":]" is a literal '['. A class never matches '/'. Returns the index after ']'.
    private static int ParseClass(ReadOnlySpan<byte> pattern, int open, List<ulong> classes)
    {
        Span<ulong> set = stackalloc ulong[4];
        set.Clear();
        var j = open + 1;
        var negated = j < pattern.Length && pattern[j] is (byte)'!' or (byte)'^';
        if (negated)
        {
            j++;
        }

        var previous = -1;
        var first = true;
        while (true)
        {
            if (j >= pattern.Length)
            {
                throw Invalid($"the '[' at position {open + 1} has no closing ']'");
            }

            var c = pattern[j];
            if (c == ']' && !first)
            {
                break;
            }

            first = false;
            if (c == '\\')
            {
                if (++j >= pattern.Length)
                {
                    throw Invalid($"the '[' at position {open + 1} has no closing ']'");
                }

                Add(set, pattern[j]);
                previous = pattern[j++];
            }
            else if (c == '-' && previous >= 0 && j + 1 < pattern.Length && pattern[j + 1] != ']')
            {
                int high = pattern[++j];
                if (high == '\\')
                {
                    if (++j >= pattern.Length)
                    {
                        throw Invalid($"the '[' at position {open + 1} has no closing ']'");
                    }

                    high = pattern[j];
                }

                for (var b = previous; b <= high; b++)
                {
                    Add(set, (byte)b);
                }

                previous = -1;
                j++;
            }
            else if (c == '[' && j + 1 < pattern.Length && pattern[j + 1] == ':')
            {
                var start = j + 2;
                var close = pattern[start..].IndexOf((byte)']');
                if (close < 0)
                {
                    throw Invalid($"the '[' at position {open + 1} has no closing ']'");
                }

                close += start;
                if (close - start < 1 || pattern[close - 1] != ':')
                {
                    // Not "[:name:]": rsync takes the '[' literally and goes on with the ':'.
                    Add(set, c);
                    previous = c;
                    j++;
                    continue;
                }

                AddNamedClass(set, pattern[start..(close - 1)]);
                previous = -1;
                j = close + 1;
            }
            else
            {
                Add(set, c);
                previous = c;
                j++;
            }
        }

        for (var w = 0; w < 4; w++)
        {
            classes.Add(negated ? ~set[w] : set[w]);
        }

        var slash = classes.Count - 4 + ('/' >> 6);
        classes[slash] &= ~(1UL << ('/' & 63));
        return j + 1;
    }

    private static void AddNamedClass(Span<ulong> set, ReadOnlySpan<byte> name)
    {
        Func<byte, bool> test = name switch
        {
            _ when name.SequenceEqual("alnum"u8) => static b => char.IsAsciiLetterOrDigit((char)b),
            _ when name.SequenceEqual("alpha"u8) => static b => char.IsAsciiLetter((char)b),
            _ when name.SequenceEqual("blank"u8) => static b => b is (byte)' ' or (byte)'\t',
            _ when name.SequenceEqual("cntrl"u8) => static b => b < 32 || b == 127,
            _ when name.SequenceEqual("digit"u8) => static b => char.IsAsciiDigit((char)b),
            _ when name.SequenceEqual("graph"u8) => static b => b is > 32 and < 127,
            _ when name.SequenceEqual("lower"u8) => static b => char.IsAsciiLetterLower((char)b),
            _ when name.SequenceEqual("print"u8) => static b => b is >= 32 and < 127,
            _ when name.SequenceEqual("punct"u8) => static b => b is > 32 and < 127 && !char.IsAsciiLetterOrDigit((char)b),
            _ when name.SequenceEqual("space"u8) => static b => b == ' ' || b is >= 9 and <= 13,
            _ when name.SequenceEqual("upper"u8) => static b => char.IsAsciiLetterUpper((char)b),
            _ when name.SequenceEqual("xdigit"u8) => static b => char.IsAsciiHexDigit((char)b),
            _ => throw Invalid($"[:{System.Text.Encoding.UTF8.GetString(name)}:] is not a character class"),
        };
        for (var b = 0; b < 128; b++)
        {
            if (test((byte)b))
            {
                Add(set, (byte)b);
            }
        }
    }

    private static void Add(Span<ulong> set, byte b) => set[b >> 6] |= 1UL << (b & 63);

    private static FormatException Invalid(string reason) => new(reason);

    private readonly record struct Token(TokenKind Kind, int Value);
}
