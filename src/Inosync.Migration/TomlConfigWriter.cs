using System.Globalization;
using System.Text;

namespace Inosync.Migration;

/// <summary>Writes a <see cref="MigratedConfig"/> as a sync.toml document: header, top-level keys, notes, tables.</summary>
internal static class TomlConfigWriter
{
    // A string array longer than this on one line is written one item per line.
    private const int MaxInlineArray = 72;

    public static string Write(MigratedConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var toml = new StringBuilder();
        toml.Append("# converted from ").Append(TomlText.CommentSafe(config.SourceName)).Append(" by inosync convert\n");
        if (config.TopLevel.Count > 0)
        {
            toml.Append('\n');
            WriteEntries(toml, config.TopLevel);
        }

        if (config.Notes.Count > 0)
        {
            toml.Append('\n');
            WriteComments(toml, config.Notes);
        }

        foreach (MigratedTable table in config.Tables)
        {
            toml.Append('\n');
            WriteComments(toml, table.Comments);
            toml.Append("[[").Append(table.Header).Append("]]\n");
            WriteEntries(toml, table.Entries);
        }

        return toml.ToString();
    }

    private static void WriteEntries(StringBuilder toml, IReadOnlyList<MigratedEntry> entries)
    {
        foreach (MigratedEntry entry in entries)
        {
            WriteComments(toml, entry.Comments);
            toml.Append(entry.Key).Append(" = ");
            WriteValue(toml, entry.Value);
            toml.Append('\n');
        }
    }

    private static void WriteComments(StringBuilder toml, IReadOnlyList<string> comments)
    {
        foreach (string comment in comments)
        {
            toml.Append("# ").Append(TomlText.CommentSafe(comment)).Append('\n');
        }
    }

    private static void WriteValue(StringBuilder toml, MigratedValue value)
    {
        switch (value)
        {
            case MigratedString s:
                toml.Append(TomlText.Quote(s.Value));
                break;
            case MigratedInteger i:
                toml.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case MigratedFloat f:
                toml.Append(TomlText.Float(f.Value));
                break;
            case MigratedStrings list:
                string inline = "[" + string.Join(", ", list.Values.Select(TomlText.Quote)) + "]";
                if (list.Values.Count <= 1 || inline.Length <= MaxInlineArray)
                {
                    toml.Append(inline);
                    break;
                }

                toml.Append("[\n");
                foreach (string item in list.Values)
                {
                    toml.Append("  ").Append(TomlText.Quote(item)).Append(",\n");
                }

                toml.Append(']');
                break;
            default:
                throw new ArgumentException($"Unknown value type {value.GetType().Name}.", nameof(value));
        }
    }
}
