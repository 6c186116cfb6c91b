using System.Globalization;
using System.Text;

namespace Inosync.Migration;

/// <summary>TOML 1.0 spellings of the values the converter writes.</summary>
internal static class TomlText
{
    /// <summary>
    /// A TOML string: a literal string ('…') when the value has backslashes and can be one (easier to read for
    /// patterns), else a basic string with <c>\"</c>, <c>\\</c> and every control character as <c>\uXXXX</c>.
    /// </summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        bool hasControl = value.Any(IsControl);
        if (value.Contains('\\', StringComparison.Ordinal) && !value.Contains('\'', StringComparison.Ordinal) && !hasControl)
        {
            return "'" + value + "'";
        }

        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                default:
                    if (IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A TOML float: always with a '.' or an exponent, so it reads back as a float.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>Text safe inside a TOML comment, which may hold no control character but tab.</summary>
    public static string CommentSafe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Concat(text.Select(c => IsControl(c) && c != '\t' ? '?' : c));
    }

    private static bool IsControl(char c) => c < 0x20 || c == 0x7F;
}
