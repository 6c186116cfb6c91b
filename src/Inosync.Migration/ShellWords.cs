using System.Text;

namespace Inosync.Migration;

/// <summary>
/// Splits a string into arguments the way a POSIX shell does (quotes, backslashes, blanks), because that is how the
/// old inosync's <c>extra</c> reached rsync: joined into a command line and run by <c>os.popen</c>. inosync runs
/// rsync without a shell, so each argument must be its own string.
/// </summary>
internal static class ShellWords
{
    // Unquoted, these meant something to the shell that no argument list can reproduce.
    private const string ShellSyntax = "$`|&;<>()";

    /// <param name="text">The old string.</param>
    /// <param name="shellSyntax">The unquoted shell characters the string used ($, `, |, …), or "" for none.</param>
    /// <param name="problem">Why the string cannot be split (an unclosed quote), or null.</param>
    public static IReadOnlyList<string> Split(string text, out string shellSyntax, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var used = new SortedSet<char>();
        var word = new StringBuilder();
        bool inWord = false;
        problem = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                case '#' when !inWord:
                    // A comment to the end of the line, as in the shell.
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '\\':
                    inWord = true;
                    if (i + 1 < text.Length)
                    {
                        i++;
                        if (text[i] != '\n')
                        {
                            word.Append(text[i]);
                        }
                    }

                    break;
                case '\'':
                    inWord = true;
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        problem = "it has an unclosed ' quote";
                        shellSyntax = "";
                        return words;
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    i = ReadDoubleQuoted(text, i, word, used);
                    if (i < 0)
                    {
                        problem = "it has an unclosed \" quote";
                        shellSyntax = "";
                        return words;
                    }

                    break;
                default:
                    if (ShellSyntax.Contains(c, StringComparison.Ordinal) || (c == '~' && !inWord))
                    {
                        used.Add(c);
                    }

                    inWord = true;
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        shellSyntax = string.Concat(used);
        return words;
    }

    /// <summary>Reads "…" from <paramref name="open"/>; returns the index of the closing quote, or -1.</summary>
    private static int ReadDoubleQuoted(string text, int open, StringBuilder word, SortedSet<char> used)
    {
        for (int i = open + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '`' or '"' or '\\' or '\n')
            {
                i++;
                if (text[i] != '\n')
                {
                    word.Append(text[i]);
                }

                continue;
            }

            if (c is '$' or '`')
            {
                // Still expanded inside double quotes.
                used.Add(c);
            }

            word.Append(c);
        }

        return -1;
    }
}
