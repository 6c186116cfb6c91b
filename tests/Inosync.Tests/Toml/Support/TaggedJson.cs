using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Inosync.Toml;

namespace Inosync.Tests.Toml.Support;

/// <summary>
/// Compares a parsed document with toml-test's tagged JSON, following the upstream runner's rules (README):
/// structure must match exactly; floats compare by value (any NaN equals "nan"); date-times compare as parsed
/// values (offset date-times as instants); strings and integers compare as exact text.
/// </summary>
internal static partial class TaggedJson
{
    /// <summary>Returns every difference, each prefixed with its path; empty when the document matches.</summary>
    public static IReadOnlyList<string> Diff(TomlNode actual, string expectedJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        var differences = new List<string>();
        Compare(actual, expected.RootElement, "$", differences);
        return differences;
    }

    private static void Compare(TomlNode actual, JsonElement expected, string path, List<string> differences)
    {
        if (IsScalar(expected))
        {
            CompareScalar(actual, expected.GetProperty("type").GetString()!, expected.GetProperty("value").GetString()!, path, differences);
        }
        else if (expected.ValueKind == JsonValueKind.Object)
        {
            if (actual is not TomlTable table)
            {
                differences.Add($"{path}: expected a table, got {actual.TypeName}");
                return;
            }

            var expectedKeys = expected.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (string missing in expectedKeys.Where(k => !table.ContainsKey(k)))
            {
                differences.Add($"{path}: missing key \"{missing}\"");
            }

            foreach (string extra in table.Keys.Where(k => !expectedKeys.Contains(k)))
            {
                differences.Add($"{path}: unexpected key \"{extra}\"");
            }

            foreach (JsonProperty property in expected.EnumerateObject().Where(p => table.ContainsKey(p.Name)))
            {
                Compare(table[property.Name], property.Value, $"{path}.\"{property.Name}\"", differences);
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array)
        {
            if (actual is not TomlArray array)
            {
                differences.Add($"{path}: expected an array, got {actual.TypeName}");
                return;
            }

            int count = expected.GetArrayLength();
            if (array.Count != count)
            {
                differences.Add($"{path}: expected {count} elements, got {array.Count}");
                return;
            }

            for (int i = 0; i < count; i++)
            {
                Compare(array[i], expected[i], $"{path}[{i}]", differences);
            }
        }
        else
        {
            differences.Add($"{path}: the expected JSON holds a bare {expected.ValueKind}, which tagged JSON never does");
        }
    }

    /// <summary>An object is a scalar only with exactly the two string members "type" and "value".</summary>
    private static bool IsScalar(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.EnumerateObject().Count() == 2
        && element.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String
        && element.TryGetProperty("value", out JsonElement value) && value.ValueKind == JsonValueKind.String;

    private static void CompareScalar(TomlNode actual, string type, string value, string path, List<string> differences)
    {
        string actualType = actual switch
        {
            TomlString => "string",
            TomlInteger => "integer",
            TomlFloat => "float",
            TomlBoolean => "bool",
            TomlDateTime { Kind: TomlDateTimeKind.OffsetDateTime } => "datetime",
            TomlDateTime { Kind: TomlDateTimeKind.LocalDateTime } => "datetime-local",
            TomlDateTime { Kind: TomlDateTimeKind.LocalDate } => "date-local",
            TomlDateTime { Kind: TomlDateTimeKind.LocalTime } => "time-local",
            _ => actual.TypeName,
        };
        if (actualType != type)
        {
            differences.Add($"{path}: expected {type} \"{value}\", got {actualType}");
            return;
        }

        (bool same, string shown) = actual switch
        {
            TomlString s => (string.Equals(s.Value, value, StringComparison.Ordinal), s.Value),
            TomlInteger i => (i.Value.ToString(CultureInfo.InvariantCulture) == value, i.Value.ToString(CultureInfo.InvariantCulture)),
            TomlFloat f => (FloatEquals(f.Value, value), f.Value.ToString("R", CultureInfo.InvariantCulture)),
            TomlBoolean b => (string.Equals(b.Value ? "true" : "false", value, StringComparison.OrdinalIgnoreCase), b.Value ? "true" : "false"),
            TomlDateTime d => (DateTimeEquals(d.Text, value, type == "datetime"), d.Text),
            _ => (false, actual.TypeName),
        };
        if (!same)
        {
            differences.Add($"{path}: expected {type} \"{value}\", got \"{shown}\"");
        }
    }

    private static bool FloatEquals(double actual, string expected)
    {
        string lowered = expected.ToLowerInvariant();
        if (lowered.TrimStart('+', '-') == "nan" || double.IsNaN(actual))
        {
            return lowered.TrimStart('+', '-') == "nan" && double.IsNaN(actual);
        }

        double parsed = lowered.TrimStart('+') switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            string text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };

        // == makes -0 equal 0, as the upstream runner does.
        return actual == parsed;
    }

    private static bool DateTimeEquals(string actual, string expected, bool asInstant)
    {
        DateTimeParts? a = DateTimeParts.Parse(actual);
        DateTimeParts? e = DateTimeParts.Parse(expected);
        if (a is null || e is null)
        {
            return false;
        }

        return asInstant
            ? a.InstantSeconds == e.InstantSeconds && a.Fraction == e.Fraction
            : a == e;
    }

    [GeneratedRegex(@"^(?:(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2}))?(?:T?(?<h>\d{2}):(?<mi>\d{2}):(?<s>\d{2})(?:\.(?<f>\d+))?)?(?<off>Z|[+-]\d{2}:\d{2})?$")]
    private static partial Regex DateTimePattern();

    /// <summary>A date-time split into fields; the fraction is kept as digits (trailing zeros dropped, nanoseconds at most).</summary>
    private sealed record DateTimeParts(int Year, int Month, int Day, int Hour, int Minute, int Second, string Fraction, int OffsetMinutes)
    {
        public long InstantSeconds =>
            (DaysFromCivil(Year, Month, Day) * 86400L) + (Hour * 3600L) + (Minute * 60L) + Second - (OffsetMinutes * 60L);

        public static DateTimeParts? Parse(string text)
        {
            string normalized = text.Replace(' ', 'T').Replace('t', 'T').Replace('z', 'Z');
            Match m = DateTimePattern().Match(normalized);
            if (!m.Success)
            {
                return null;
            }

            int Field(string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            string fraction = m.Groups["f"].Value;
            fraction = fraction[..Math.Min(9, fraction.Length)].TrimEnd('0');
            string offset = m.Groups["off"].Value;
            int offsetMinutes = offset is "" or "Z"
                ? 0
                : (offset[0] == '-' ? -1 : 1) * ((int.Parse(offset[1..3], CultureInfo.InvariantCulture) * 60) + int.Parse(offset[4..6], CultureInfo.InvariantCulture));
            return new DateTimeParts(Field("y"), Field("mo"), Field("d"), Field("h"), Field("mi"), Field("s"), fraction, offsetMinutes);
        }

        // Howard Hinnant's days_from_civil: proleptic Gregorian, works for year 0 too (DateOnly does not).
        private static long DaysFromCivil(int year, int month, int day)
        {
            year -= month <= 2 ? 1 : 0;
            long era = (year >= 0 ? year : year - 399) / 400;
            long yearOfEra = year - (era * 400);
            long dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
            long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            return (era * 146097) + dayOfEra - 719468;
        }
    }
}
