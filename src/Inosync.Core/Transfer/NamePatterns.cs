using System.Text;
using Inosync.Filtering;

namespace Inosync.Transfer;

/// <summary>
/// The sync's leading exclude rules that look at the name only and use no more than '*' and '?' ("*.swp", "n7/",
/// "node_modules/"), as regular expressions lftp's mirror applies itself, to whatever it finds while it runs.
/// </summary>
/// <remarks>
/// <see cref="ExcludedPaths"/> lists what the rules exclude before lftp starts; an entry renamed into an excluded name
/// in the moments between would be sent (and then protected on the server for good). A pattern mirror evaluates as it
/// goes closes that gap for the common rules. Only excludes before the first include rule qualify: for them "excluded
/// when it matches" holds whatever follows (rsync's first match wins). Other shapes (anchored, '**', brackets,
/// escapes) stay with the listed paths.
/// </remarks>
internal static class NamePatterns
{
    /// <summary>"(^|/)[^/]*\.swp/?$"-style expressions for the qualifying rules of <paramref name="filter"/>.</summary>
    public static List<string> Of(PathFilter filter)
    {
        var expressions = new List<string>();
        foreach (FilterRule rule in filter.Rules)
        {
            if (rule.Action == FilterAction.Include)
            {
                break;
            }

            if (Translate(rule.Pattern) is { } expression)
            {
                expressions.Add(expression);
            }
        }

        return expressions;
    }

    private static string? Translate(string pattern)
    {
        bool directoriesOnly = pattern.Length > 1 && pattern.EndsWith('/');
        string name = directoriesOnly ? pattern[..^1] : pattern;
        if (name.Length == 0 || name.AsSpan().IndexOfAny("/[\\") >= 0 || name.Contains("**", StringComparison.Ordinal))
        {
            return null;
        }

        var expression = new StringBuilder("(^|/)");
        foreach (char c in name)
        {
            expression.Append(c switch
            {
                '*' => "[^/]*",
                '?' => "[^/]",
                _ => LftpSyntax.EscapeRegex(c.ToString()),
            });
        }

        return expression.Append(directoriesOnly ? "/$" : "/?$").ToString();
    }
}
