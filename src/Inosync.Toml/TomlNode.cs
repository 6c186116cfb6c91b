namespace Inosync.Toml;

/// <summary>Any value in a TOML document. Every node remembers where its value starts in the source.</summary>
public abstract class TomlNode
{
    private protected TomlNode(TomlPosition position) => Position = position;

    /// <summary>Where the value starts (for tables: the header, the inline table's brace, or the first dotted key).</summary>
    /// <remarks>Settable so that a table first created implicitly (by <c>[a.b]</c>) can move to its own <c>[a]</c>
    /// header once that header defines it.</remarks>
    public TomlPosition Position { get; private protected set; }

    /// <summary>The TOML type name used in messages: string, integer, float, boolean, datetime, array, table.</summary>
    public abstract string TypeName { get; }
}

public sealed class TomlString(string value, TomlPosition position) : TomlNode(position)
{
    public string Value { get; } = value;
    public override string TypeName => "string";
}

public sealed class TomlInteger(long value, TomlPosition position) : TomlNode(position)
{
    public long Value { get; } = value;
    public override string TypeName => "integer";
}

public sealed class TomlFloat(double value, TomlPosition position) : TomlNode(position)
{
    public double Value { get; } = value;
    public override string TypeName => "float";
}

public sealed class TomlBoolean(bool value, TomlPosition position) : TomlNode(position)
{
    public bool Value { get; } = value;
    public override string TypeName => "boolean";
}
