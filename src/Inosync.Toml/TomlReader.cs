namespace Inosync.Toml;

/// <summary>
/// The one entry point of the TOML reader. Replacing the reader with a library (e.g. Tomlyn) changes this file only.
/// </summary>
public static class TomlReader
{
    /// <summary>Parses a TOML 1.0.0 document from raw bytes (UTF-8, one optional BOM).</summary>
    /// <exception cref="TomlException">The bytes are not a valid TOML 1.0.0 document.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        return TomlParser.Parse(TomlSource.Decode(utf8, sourceName));
    }
}
