namespace Inosync.Migration;

/// <summary>A value the converter writes: the TOML types sync.toml's keys use.</summary>
internal abstract record MigratedValue
{
    public static MigratedValue Of(string value) => new MigratedString(value);

    public static MigratedValue Of(long value) => new MigratedInteger(value);

    public static MigratedValue Of(double value) => new MigratedFloat(value);

    public static MigratedValue Of(IReadOnlyList<string> values) => new MigratedStrings(values);
}

internal sealed record MigratedString(string Value) : MigratedValue;

internal sealed record MigratedInteger(long Value) : MigratedValue;

internal sealed record MigratedFloat(double Value) : MigratedValue;

internal sealed record MigratedStrings(IReadOnlyList<string> Values) : MigratedValue;
