namespace Inosync.Toml;

/// <summary>
/// A TOML date/time value. <see cref="Text"/> is the canonical RFC 3339 form (upper-case T and Z,
/// fractional seconds as written), which keeps precision beyond what <see cref="DateTimeOffset"/> holds.
/// </summary>
public sealed class TomlDateTime(TomlDateTimeKind kind, string text, TomlPosition position) : TomlNode(position)
{
    public TomlDateTimeKind Kind { get; } = kind;
    public string Text { get; } = text;
    public override string TypeName => "datetime";
    public override string ToString() => Text;
}
