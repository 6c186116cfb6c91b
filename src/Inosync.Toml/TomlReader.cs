using Tomlyn.Syntax;

namespace Inosync.Toml;

/// <summary>
/// The one entry point of the TOML reader: Tomlyn parses and validates, this adapter turns its syntax tree into
/// the small position-carrying model the configuration loader reads.
/// </summary>
public static class TomlReader
{
    /// <summary>Parses a TOML 1.1 document from raw bytes (UTF-8, one optional BOM).</summary>
    /// <exception cref="TomlException">The bytes are not a valid TOML 1.1 document.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        Utf8Text decoded = Utf8Text.Decode(utf8);
        if (decoded.Error is { } badByte)
        {
            // A syntax error before the bad byte is reported first, so that errors come in document order.
            TomlException? earlier = TomlSyntax.FirstError(decoded.Text, sourceName);
            throw earlier is not null && earlier.Position.IsBefore(badByte.Position)
                ? earlier
                : new TomlException(sourceName, badByte.Position, badByte.Reason);
        }

        (DocumentSyntax document, IReadOnlyDictionary<int, string> standIns) = TomlSyntax.Parse(decoded.Text, sourceName);
        return TomlDocumentBuilder.Build(document, decoded.Text, standIns, sourceName);
    }
}
