namespace Inosync.Migration;

/// <summary>A value of the supported Python subset. <see cref="Position"/> is where its expression starts.</summary>
internal abstract record PyValue(PyPosition Position)
{
    /// <summary>The type as a message names it, with its article: "a string", "a list".</summary>
    public abstract string Description { get; }
}

/// <param name="Names">The assigned names this string was built from (e.g. <c>rpath</c> in <c>"host:" + rpath</c>).</param>
internal sealed record PyString(PyPosition Position, string Value, IReadOnlyList<string> Names) : PyValue(Position)
{
    public override string Description => "a string";

    public bool IsBuiltFrom(string name) => Names.Contains(name, StringComparer.Ordinal);
}

internal sealed record PyInteger(PyPosition Position, long Value) : PyValue(Position)
{
    public override string Description => "an integer";
}

internal sealed record PyFloat(PyPosition Position, double Value) : PyValue(Position)
{
    public override string Description => "a float";
}

internal sealed record PyBool(PyPosition Position, bool Value) : PyValue(Position)
{
    public override string Description => Value ? "True" : "False";
}

internal sealed record PyNone(PyPosition Position) : PyValue(Position)
{
    public override string Description => "None";
}

/// <summary>A list <c>[…]</c> or a tuple <c>(…)</c>: the old inosync only ever iterated over them.</summary>
internal sealed record PyList(PyPosition Position, IReadOnlyList<PyValue> Items, bool IsTuple) : PyValue(Position)
{
    public override string Description => IsTuple ? "a tuple" : "a list";
}
