namespace Inosync.Toml;

/// <summary>A 1-based line and column (in Unicode scalar values) within a TOML source.</summary>
public readonly record struct TomlPosition(int Line, int Column)
{
    public bool IsBefore(TomlPosition other) => Line < other.Line || (Line == other.Line && Column < other.Column);

    public override string ToString() => $"{Line}:{Column}";
}
