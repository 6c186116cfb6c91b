using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Inosync.Toml;

/// <summary>A TOML table (the document root, a [table], an inline table, or one element of an [[array]]).
/// Keys keep their insertion order and the position where each key was written.</summary>
public sealed class TomlTable : TomlNode, IEnumerable<KeyValuePair<string, TomlNode>>
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<(string Key, TomlPosition KeyPosition, TomlNode Value)> _entries = [];

    public TomlTable(TomlPosition position) : base(position)
    {
    }

    public override string TypeName => "table";

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public TomlNode this[string key] => _entries[_index[key]].Value;

    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, [NotNullWhen(true)] out TomlNode? value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _entries[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Where <paramref name="key"/> was written (for an implicitly created table: where it was first named).</summary>
    public TomlPosition GetKeyPosition(string key) => _entries[_index[key]].KeyPosition;

    /// <summary>A table first created implicitly (the <c>a</c> of <c>[a.b]</c>) now has its own header here.</summary>
    internal void MoveTo(TomlPosition position) => Position = position;

    internal void Add(string key, TomlPosition keyPosition, TomlNode value)
    {
        _index.Add(key, _entries.Count);
        _entries.Add((key, keyPosition, value));
    }

    public IEnumerator<KeyValuePair<string, TomlNode>> GetEnumerator() =>
        _entries.Select(e => new KeyValuePair<string, TomlNode>(e.Key, e.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
