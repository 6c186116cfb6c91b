using System.Globalization;
using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>
/// Typed access to one TOML table. Every getter returns null when the key is absent and throws a
/// <see cref="ConfigException"/> pointing at the value when it has the wrong type or range.
/// </summary>
internal sealed class TableReader
{
    private readonly TomlTable _table;

    private TableReader(TomlTable table, ConfigSource source, ConfigScope scope)
    {
        _table = table;
        Source = source;
        Scope = scope;
    }

    public ConfigSource Source { get; }

    public ConfigScope Scope { get; }

    /// <summary>Where the table starts; the place to report a key it lacks.</summary>
    public TomlPosition Position => _table.Position;

    /// <summary>Wraps <paramref name="table"/> after checking that every key in it is allowed in <paramref name="scope"/>.</summary>
    public static TableReader Open(TomlTable table, ConfigSource source, ConfigScope scope)
    {
        foreach (string key in table.Keys)
        {
            if (ConfigKeys.Problem(key, scope) is { } problem)
            {
                throw source.Error(table.GetKeyPosition(key), problem);
            }
        }

        return new TableReader(table, source, scope);
    }

    public Setting<string>? String(string key) =>
        Get<TomlString>(key, "a string") is { } node ? new(node.Value, node.Position) : null;

    public Setting<bool>? Boolean(string key) =>
        Get<TomlBoolean>(key, "a boolean (true or false)") is { } node ? new(node.Value, node.Position) : null;

    public Setting<int>? Integer(string key, int min, int max = int.MaxValue)
    {
        if (Get<TomlInteger>(key, "an integer") is not { } node)
        {
            return null;
        }

        if (node.Value < min)
        {
            throw Source.Error(node.Position, $"'{key}' must be at least {min}, not {node.Value}");
        }

        return node.Value > max
            ? throw Source.Error(node.Position, $"'{key}' must be at most {max}, not {node.Value}")
            : new((int)node.Value, node.Position);
    }

    /// <summary>A whole number from <paramref name="min"/>, or "off" for no limit (null value).</summary>
    public Setting<int?>? IntegerOrOff(string key, int min)
    {
        if (!_table.TryGetValue(key, out TomlNode? node))
        {
            return null;
        }

        if (node is TomlString { Value: var text } && text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return new(null, node.Position);
        }

        return node is TomlInteger
            ? Integer(key, min) is { } number ? new(number.Value, number.Position) : null
            : throw WrongType(key, node, "an integer or \"off\"");
    }

    /// <summary>A number of seconds, integer or float, from 0 up to <see cref="Durations.Max"/>.</summary>
    public Setting<TimeSpan>? Seconds(string key)
    {
        if (!_table.TryGetValue(key, out TomlNode? node))
        {
            return null;
        }

        double seconds = node switch
        {
            TomlInteger i => i.Value,
            TomlFloat f => f.Value,
            _ => throw WrongType(key, node, "a number of seconds"),
        };
        if (double.IsNaN(seconds) || seconds < 0)
        {
            throw Source.Error(node.Position, $"'{key}' must be 0 or more seconds, not {Format(node)}");
        }

        return seconds > Durations.Max.TotalSeconds
            ? throw Source.Error(node.Position, $"'{key}' must be at most {Durations.Max.TotalSeconds:0} seconds (49 days), not {Format(node)}")
            : new(TimeSpan.FromSeconds(seconds), node.Position);
    }

    /// <summary>A duration string ("30s", "15m", "6h", "1d", "1h30m"), or "off" for none (null value).</summary>
    public Setting<TimeSpan?>? Duration(string key)
    {
        if (Get<TomlString>(key, "a duration string such as \"6h\" or \"1h30m\"") is not { } node)
        {
            return null;
        }

        if (node.Value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return new(null, node.Position);
        }

        if (!Durations.TryParseSeconds(node.Value, out long seconds))
        {
            throw Source.Error(
                node.Position,
                $"'{key}' must be a duration such as \"30s\", \"15m\", \"6h\", \"1d\" or \"1h30m\" (units d, h, m, s, largest first), or \"off\", not \"{node.Value}\"");
        }

        if (seconds == 0)
        {
            throw Source.Error(node.Position, $"'{key}' must be longer than zero (write \"off\" for none)");
        }

        return seconds > Durations.Max.TotalSeconds
            ? throw Source.Error(node.Position, $"'{key}' must be at most 49 days, not \"{node.Value}\"")
            : new(TimeSpan.FromSeconds(seconds), node.Position);
    }

    /// <summary>One of <paramref name="choices"/>, matched case-insensitively.</summary>
    public Setting<T>? Choice<T>(string key, IReadOnlyList<(string Name, T Value)> choices)
    {
        if (Get<TomlString>(key, "a string") is not { } node)
        {
            return null;
        }

        foreach ((string name, T value) in choices)
        {
            if (name.Equals(node.Value, StringComparison.OrdinalIgnoreCase))
            {
                return new(value, node.Position);
            }
        }

        string accepted = string.Join(", ", choices.Select(c => $"\"{c.Name}\""));
        throw Source.Error(node.Position, $"'{key}' must be one of {accepted}, not \"{node.Value}\"");
    }

    /// <summary>A local path, resolved against the configuration file's directory.</summary>
    public Setting<string>? Path(string key)
    {
        if (String(key) is not { } raw)
        {
            return null;
        }

        return ConfigPaths.TryResolve(raw.Value, Source.Directory, out string fullPath) is { } problem
            ? throw Source.Error(raw.Position, $"'{key}' {problem}")
            : new(fullPath, raw.Position);
    }

    /// <summary>An array of strings; each item keeps its position. <paramref name="allowEmptyItems"/> false rejects "".</summary>
    public Setting<IReadOnlyList<Setting<string>>>? Strings(string key, bool allowEmptyItems, string? emptyItemReason = null)
    {
        if (!_table.TryGetValue(key, out TomlNode? node))
        {
            return null;
        }

        if (node is not TomlArray array)
        {
            string hint = node is TomlString && key == ConfigKeys.Extra
                ? " (write each argument as its own string: extra = [\"-e\", \"ssh -p 2222\"])"
                : "";
            throw Source.Error(node.Position, $"'{key}' must be an array of strings, not {Article(node.TypeName)}{hint}");
        }

        var items = new List<Setting<string>>(array.Count);
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not TomlString item)
            {
                throw Source.Error(array[i].Position, $"'{key}' must be an array of strings, but item {i + 1} is {Article(array[i].TypeName)}");
            }

            if (!allowEmptyItems && item.Value.Length == 0)
            {
                throw Source.Error(item.Position, $"'{key}' item {i + 1} is empty{emptyItemReason}");
            }

            items.Add(new(item.Value, item.Position));
        }

        return new(items, array.Position);
    }

    /// <summary>An array of tables ([[key]]), each opened in <paramref name="scope"/>.</summary>
    public IReadOnlyList<TableReader>? Tables(string key, ConfigScope scope, string header)
    {
        if (!_table.TryGetValue(key, out TomlNode? node))
        {
            return null;
        }

        if (node is not TomlArray array)
        {
            throw Source.Error(node.Position, $"'{key}' must be an array of tables (write {header}), not {Article(node.TypeName)}");
        }

        if (array.Count == 0)
        {
            throw Source.Error(array.Position, $"'{key}' is an empty array: write at least one {header} table");
        }

        var tables = new List<TableReader>(array.Count);
        foreach (TomlNode item in array)
        {
            tables.Add(item is TomlTable table
                ? Open(table, Source, scope)
                : throw Source.Error(item.Position, $"'{key}' must be an array of tables (write {header}), but it holds {Article(item.TypeName)}"));
        }

        return tables;
    }

    private TNode? Get<TNode>(string key, string expected)
        where TNode : TomlNode
    {
        if (!_table.TryGetValue(key, out TomlNode? node))
        {
            return null;
        }

        return node as TNode ?? throw WrongType(key, node, expected);
    }

    private ConfigException WrongType(string key, TomlNode node, string expected) =>
        Source.Error(node.Position, $"'{key}' must be {expected}, not {Article(node.TypeName)}");

    private static string Article(string typeName) =>
        typeName.Length > 0 && "aeiou".Contains(typeName[0], StringComparison.Ordinal) ? $"an {typeName}" : $"a {typeName}";

    /// <summary>A number the way TOML writes it, so the message quotes what the user typed.</summary>
    private static string Format(TomlNode node) => node switch
    {
        TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        TomlFloat { Value: double.NaN } => "nan",
        TomlFloat { Value: double.PositiveInfinity } => "inf",
        TomlFloat { Value: double.NegativeInfinity } => "-inf",
        TomlFloat f => f.Value.ToString("R", CultureInfo.InvariantCulture),
        _ => node.TypeName,
    };
}
