using System.Globalization;

namespace Inosync.Toml;

/// <summary>
/// Checks a date-time token as TOML 1.1 and RFC 3339 read it, and gives its canonical text.
/// </summary>
/// <remarks>
/// Tomlyn parses date-times into <see cref="DateTimeOffset"/>, so it rejects what TOML allows but that type cannot
/// hold: more than 7 fractional-second digits (TOML says truncate) and the leap second 60. The adapter accepts
/// those here, keeps the text as written, and hands Tomlyn a stand-in of the same length (<see cref="StandIn"/>) so
/// that validation and positions are unchanged.
/// </remarks>
internal static class TomlDateTimeText
{
    private const int DotNetFractionDigits = 7;

    private static readonly int[] s_daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    /// <summary>Returns why <paramref name="token"/> is not a TOML date-time, or null with its kind and canonical text.</summary>
    public static string? Check(string token, out TomlDateTimeKind kind, out string canonical)
    {
        kind = default;
        canonical = "";
        var reader = new Reader(token);
        int colon = token.IndexOf(':', StringComparison.Ordinal);
        int dash = token.IndexOf('-', StringComparison.Ordinal);
        string? problem;
        string text;
        if (colon >= 0 && (dash < 0 || colon < dash))
        {
            kind = TomlDateTimeKind.LocalTime;
            problem = reader.Time(out text);
        }
        else
        {
            problem = reader.Date();
            text = token[..Math.Min(10, token.Length)];
            if (problem is null && reader.AtEnd)
            {
                kind = TomlDateTimeKind.LocalDate;
            }
            else if (problem is null)
            {
                string time = "";
                problem = reader.Expect("'T' or a space between the date and the time", 'T', 't', ' ');
                if (problem is null)
                {
                    problem = reader.Time(out time);
                }

                text += "T" + time;
                kind = reader.AtEnd ? TomlDateTimeKind.LocalDateTime : TomlDateTimeKind.OffsetDateTime;
                if (problem is null && !reader.AtEnd)
                {
                    problem = reader.Offset(out string offset);
                    text += offset;
                }
            }
        }

        problem ??= reader.AtEnd ? null : $"unexpected '{token[reader.Index]}'";
        if (problem is not null)
        {
            return $"invalid date/time \"{TomlDiagnostics.Excerpt(token)}\": {problem}";
        }

        canonical = text;
        return null;
    }

    /// <summary>
    /// A date-time of the same length that Tomlyn accepts, for a token that <see cref="Check"/> accepts but Tomlyn
    /// does not; null when Tomlyn reads the token as it is.
    /// </summary>
    public static string? StandIn(string token)
    {
        int colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        char[] chars = token.ToCharArray();
        bool changed = false;
        int secondsAt = colon + 4;
        if (secondsAt + 1 < chars.Length && token[colon + 3] == ':' && chars[secondsAt] == '6' && chars[secondsAt + 1] == '0')
        {
            chars[secondsAt] = '5';
            chars[secondsAt + 1] = '9';
            changed = true;
        }

        int dot = token.IndexOf('.', colon);
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < token.Length && char.IsAsciiDigit(token[end]))
            {
                end++;
            }

            int extra = end - dot - 1 - DotNetFractionDigits;
            if (extra > 0)
            {
                // Drop the extra digits and pad the end with spaces: the token keeps its length and position.
                var shorter = new string(chars, 0, dot + 1 + DotNetFractionDigits) + new string(chars, end, chars.Length - end);
                return shorter + new string(' ', extra);
            }
        }

        return changed ? new string(chars) : null;
    }

    private static bool IsLeapYear(int year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    /// <summary>Reads the fixed-width fields of an RFC 3339 date-time and checks their ranges.</summary>
    private sealed class Reader(string token)
    {
        public int Index { get; private set; }

        public bool AtEnd => Index == token.Length;

        public string? Date()
        {
            if (!Number(4, out int year) || Expect("'-'", '-') is not null || !Number(2, out int month)
                || Expect("'-'", '-') is not null || !Number(2, out int day))
            {
                return "expected a date as yyyy-mm-dd";
            }

            if (month is < 1 or > 12)
            {
                return $"month {month:D2} is not 01-12";
            }

            int days = month == 2 && IsLeapYear(year) ? 29 : s_daysInMonth[month - 1];
            return day >= 1 && day <= days
                ? null
                : $"day {day:D2} is not 01-{days} ({CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year:D4} has {days} days)";
        }

        public string? Time(out string text)
        {
            int start = Index;
            text = "";
            if (!Number(2, out int hour) || Expect("':'", ':') is not null || !Number(2, out int minute))
            {
                return "expected a time as hh:mm or hh:mm:ss";
            }

            int second = 0;
            bool hasSeconds = !AtEnd && token[Index] == ':';
            if (hasSeconds && (Expect("':'", ':') is not null || !Number(2, out second)))
            {
                return "expected 2-digit seconds";
            }

            if (hasSeconds && !AtEnd && token[Index] == '.')
            {
                Index++;
                int digits = Index;
                while (!AtEnd && char.IsAsciiDigit(token[Index]))
                {
                    Index++;
                }

                if (Index == digits)
                {
                    return "expected digits after the decimal point in the seconds";
                }
            }

            if (hour > 23 || minute > 59 || second > 60)
            {
                // 60 is RFC 3339's leap second.
                return $"time {hour:D2}:{minute:D2}:{second:D2} is out of range (00:00:00-23:59:60)";
            }

            // TOML 1.1 allows the seconds to be left out; they are zero.
            text = hasSeconds ? token[start..Index] : token[start..Index] + ":00";
            return null;
        }

        public string? Offset(out string text)
        {
            text = "";
            if (token[Index] is 'Z' or 'z')
            {
                Index++;
                text = "Z";
                return null;
            }

            int start = Index;
            if (Expect("", '+', '-') is not null || !Number(2, out int hour) || Expect("", ':') is not null || !Number(2, out int minute))
            {
                return "expected a time zone offset (Z, +hh:mm or -hh:mm) or nothing after the time";
            }

            text = token[start..Index];
            return hour > 23 || minute > 59 ? $"time zone offset {text} is out of range" : null;
        }

        public string? Expect(string what, char option1, char option2 = '\0', char option3 = '\0')
        {
            if (AtEnd || (token[Index] != option1 && token[Index] != option2 && token[Index] != option3))
            {
                return $"expected {what}";
            }

            Index++;
            return null;
        }

        private bool Number(int digits, out int value)
        {
            value = 0;
            for (int i = 0; i < digits; i++, Index++)
            {
                if (AtEnd || !char.IsAsciiDigit(token[Index]))
                {
                    return false;
                }

                value = (value * 10) + (token[Index] - '0');
            }

            return true;
        }
    }
}
