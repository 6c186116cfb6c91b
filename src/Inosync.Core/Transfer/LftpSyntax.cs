using System.Text;
using System.Text.RegularExpressions;

namespace Inosync.Transfer;

/// <summary>
/// Writing values into lftp's command language: double-quoted words (inside which only '"' and '\' are escaped,
/// and no wildcard is expanded), and extended regular expressions that match one literal path (mirror's -i, -x).
/// </summary>
internal static partial class LftpSyntax
{
    /// <summary>The client of sftp:// and ftp:// nodes: lftp from PATH.</summary>
    public const string Client = "lftp";

    /// <summary>A name lftp cannot take in a script line (a line break or NUL ends the command).</summary>
    public static bool CanCarry(string path) => path.AsSpan().IndexOfAny('\n', '\r', '\0') < 0;

    /// <summary>One quoted word: <c>a "b"</c> → <c>"a \"b\""</c>.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>An extended regular expression (POSIX ERE, as regcomp takes it) that matches <paramref name="literal"/> only.</summary>
    public static string EscapeRegex(string literal)
    {
        var escaped = new StringBuilder(literal.Length + 8);
        foreach (char c in literal)
        {
            if (c is '.' or '[' or ']' or '(' or ')' or '*' or '+' or '?' or '{' or '}' or '|' or '^' or '$' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>"^(a|b\.c/)$": matches exactly the given paths (directories with their '/', as mirror matches them).</summary>
    public static string AnyOf(IEnumerable<string> paths) => "^(" + string.Join('|', paths.Select(EscapeRegex)) + ")$";

    /// <summary>"(^|/)(a|b)/?$": matches entries with one of the given names, in any directory.</summary>
    public static string AnyName(IEnumerable<string> names) => "(^|/)(" + string.Join('|', names.Select(EscapeRegex)) + ")/?$";

    /// <summary>
    /// Output of lftp with every password taken out: lftp writes URLs with the password in them
    /// ("ftp://user:p%40ss@host/…") in some messages and in mirror's --dry-run commands.
    /// </summary>
    public static string WithoutPassword(string text, string? password)
    {
        text = UserInfoPassword().Replace(text, "://$1@");
        if (!string.IsNullOrEmpty(password))
        {
            text = text.Replace(password, "***", StringComparison.Ordinal)
                .Replace(Uri.EscapeDataString(password), "***", StringComparison.Ordinal);
        }

        return text;
    }

    [GeneratedRegex(@"://([^/\s:@]*):[^/\s@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPassword();
}
