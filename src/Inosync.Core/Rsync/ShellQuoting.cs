using System.Buffers;
using System.Globalization;
using System.Text;

namespace Inosync.Rsync;

/// <summary>POSIX shell quoting for the command lines inosync logs (never for running them: no shell runs anything).</summary>
internal static class ShellQuoting
{
    private static readonly SearchValues<char> s_shellSafe =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-");

    /// <summary>
    /// Quotes <paramref name="value"/> for a POSIX shell: bare when it is plainly safe, else in single quotes. A byte of
    /// a name that is not valid UTF-8 cannot be written in the (UTF-8) log, so it becomes <c>"$(printf '\351')"</c>
    /// between the quoted parts: pasted into a shell, the word has the exact bytes again.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && !value.AsSpan().ContainsAnyExcept(s_shellSafe))
        {
            return value;
        }

        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (FileNameEncoding.IsEscapedByte(c))
            {
                quoted.Append(CultureInfo.InvariantCulture, $"'\"$(printf '\\{Convert.ToString(FileNameEncoding.EscapedByte(c), 8)}')\"'");
            }
            else if (c == '\'')
            {
                quoted.Append(@"'\''");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('\'').ToString();
    }
}
