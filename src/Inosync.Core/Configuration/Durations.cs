using System.Globalization;

namespace Inosync.Configuration;

/// <summary>Parses durations such as "30s", "15m", "6h", "1d" and combinations like "1h30m".</summary>
internal static class Durations
{
    /// <summary>Timers in .NET (Task.Delay, PeriodicTimer) cannot wait longer than about 49.7 days.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(49);

    private static readonly (char Unit, long Seconds)[] s_units = [('d', 86400), ('h', 3600), ('m', 60), ('s', 1)];

    /// <summary>
    /// Parses <paramref name="text"/> into whole seconds. Units must come largest first, each at most once,
    /// so a typo like "1m1h" is an error rather than a surprise. The caller checks the range.
    /// </summary>
    public static bool TryParseSeconds(string text, out long seconds)
    {
        seconds = 0;
        int position = 0;
        int nextUnit = 0;
        while (position < text.Length)
        {
            int start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            // Nine digits of days still fit a long in seconds; anything longer is out of range anyway.
            if (position == start || position == text.Length || position - start > 9)
            {
                return false;
            }

            int unit = Array.FindIndex(s_units, nextUnit, u => u.Unit == text[position]);
            if (unit < 0)
            {
                return false;
            }

            seconds += long.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture) * s_units[unit].Seconds;
            nextUnit = unit + 1;
            position++;
        }

        return position > 0;
    }
}
