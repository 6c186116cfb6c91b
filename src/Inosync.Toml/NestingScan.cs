namespace Inosync.Toml;

/// <summary>Finds where arrays and inline tables first nest deeper than a limit, skipping strings and comments.</summary>
/// <remarks>Only for the message: Tomlyn reports "too deep" without a position.</remarks>
internal static class NestingScan
{
    public static TomlPosition FirstBeyond(string text, int limit)
    {
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '#':
                    int end = text.IndexOf('\n', i);
                    i = end < 0 ? text.Length : end;
                    break;
                case '"' or '\'':
                    i = SkipString(text, i);
                    break;
                case '[' or '{':
                    if (++depth > limit)
                    {
                        return PositionAt(text, i);
                    }

                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return new TomlPosition(1, 1);
    }

    private static TomlPosition PositionAt(string text, int offset)
    {
        int lineStart = text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        int line = text.AsSpan(0, lineStart).Count('\n') + 1;
        int column = 1;
        foreach (System.Text.Rune _ in text.AsSpan(lineStart, offset - lineStart).EnumerateRunes())
        {
            column++;
        }

        return new TomlPosition(line, column);
    }

    /// <summary>The index of the closing quote of the string that opens at <paramref name="start"/> (or the last index).</summary>
    private static int SkipString(string text, int start)
    {
        char quote = text[start];
        string delimiter = text.AsSpan(start).StartsWith(new string(quote, 3)) ? new string(quote, 3) : quote.ToString();
        for (int i = start + delimiter.Length; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
            }
            else if (delimiter.Length == 1 && text[i] == '\n')
            {
                return i - 1;
            }
            else if (text.AsSpan(i).StartsWith(delimiter))
            {
                return i + delimiter.Length - 1;
            }
        }

        return text.Length - 1;
    }
}
