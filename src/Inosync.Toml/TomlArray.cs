using System.Collections;

namespace Inosync.Toml;

public sealed class TomlArray : TomlNode, IReadOnlyList<TomlNode>
{
    private readonly List<TomlNode> _items = [];

    public TomlArray(TomlPosition position) : base(position)
    {
    }

    public override string TypeName => "array";

    /// <summary>True for an array of tables built by <c>[[header]]</c>s; false for a static <c>[ ... ]</c> value,
    /// which is complete once written.</summary>
    internal bool IsTableArray { get; init; }

    public int Count => _items.Count;

    public TomlNode this[int index] => _items[index];

    internal void Add(TomlNode item) => _items.Add(item);

    public IEnumerator<TomlNode> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
