using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace Inosync.Toml;

/// <summary>Turns Tomlyn's diagnostics into the one-line reasons inosync prints after <c>file:line:column:</c>.</summary>
/// <remarks>
/// Tomlyn's messages quote source text, sometimes whole lines with their newlines (shown as ␤). A configuration
/// error must stay one short line whatever the file holds, so every quoted piece is shortened and escaped here.
/// </remarks>
internal static partial class TomlDiagnostics
{
    private const int MaxExcerpt = 40;

    public static TomlPosition PositionOf(TextPosition position) => new(position.Line + 1, position.Column + 1);

    /// <summary>The reason for a Tomlyn error: lower-case start, no trailing full stop, short escaped excerpts.</summary>
    public static string Describe(DiagnosticMessage diagnostic)
    {
        string message = diagnostic.Message.TrimEnd('.', ' ');
        Match redefined = Redefined().Match(message);
        if (redefined.Success)
        {
            return $"key \"{Excerpt(redefined.Groups["key"].Value)}\" is defined twice (first at {redefined.Groups["line"].Value}:{redefined.Groups["column"].Value})";
        }

        if (DecimalOverflow().Match(message) is { Success: true } overflow)
        {
            return $"integer \"{Excerpt(overflow.Groups[1].Value)}\" is out of range ({long.MinValue} to {long.MaxValue})";
        }

        string reason = Quoted().Replace(message, m => "`" + Excerpt(m.Groups[1].Value) + "`");
        if (UnexpectedValue().IsMatch(reason))
        {
            reason += " (strings must be in quotes; booleans are lower-case true/false)";
        }
        else if (reason.StartsWith("Unexpected escape character", StringComparison.Ordinal))
        {
            reason += " (write \\\\ for a backslash, or use a 'literal string')";
        }

        return reason.Length > 1 && char.IsUpper(reason[0]) && !char.IsUpper(reason[1])
            ? char.ToLowerInvariant(reason[0]) + reason[1..]
            : reason;
    }

    /// <summary>At most <see cref="MaxExcerpt"/> characters of <paramref name="text"/>, with control characters escaped.</summary>
    public static string Excerpt(string text)
    {
        var shown = new StringBuilder();
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (shown.Length >= MaxExcerpt)
            {
                return shown.Append('…').ToString();
            }

            _ = rune.Value switch
            {
                '\n' or '␤' => shown.Append("\\n"),
                '\r' => shown.Append("\\r"),
                '\t' => shown.Append("\\t"),
                _ when Rune.IsControl(rune) => shown.Append("\\u").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture)),
                _ => shown.Append(rune.ToString()),
            };
        }

        return shown.ToString();
    }

    [GeneratedRegex(@"^The key `(?<key>.*)` is already defined at \((?<line>\d+),(?<column>\d+)\)", RegexOptions.Singleline)]
    private static partial Regex Redefined();

    [GeneratedRegex("^Unable to parse integer `([+-]?[0-9_]+)`$")]
    private static partial Regex DecimalOverflow();

    [GeneratedRegex("`([^`]*)`", RegexOptions.Singleline)]
    private static partial Regex Quoted();

    [GeneratedRegex("^Unexpected token `[^`]*` for a value$")]
    private static partial Regex UnexpectedValue();
}
