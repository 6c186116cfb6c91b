using System.Buffers;
using System.Text;

namespace Inosync.Toml;

/// <summary>
/// A TOML file's bytes decoded strictly: the text, and where its first byte that is not UTF-8 is.
/// </summary>
/// <remarks>
/// Our own loop rather than <see cref="Encoding.UTF8"/>: the BCL decoder either replaces bad bytes silently or
/// throws with a byte index, and a sysadmin needs the line and column of the bad byte in the editor. Bad bytes are
/// still replaced by U+FFFD in <see cref="Text"/>, so that a syntax error before them can be found and reported
/// first, in document order.
/// </remarks>
internal sealed class Utf8Text
{
    private Utf8Text(string text, (TomlPosition Position, string Reason)? error)
    {
        Text = text;
        Error = error;
    }

    /// <summary>The decoded text without a leading BOM, with U+FFFD in place of bytes that are not UTF-8.</summary>
    public string Text { get; }

    /// <summary>The first byte that is not UTF-8, or null.</summary>
    public (TomlPosition Position, string Reason)? Error { get; }

    public static Utf8Text Decode(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || utf8.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new Utf8Text("", (new TomlPosition(1, 1), "the file is UTF-16 encoded; TOML files must be UTF-8"));
        }

        // One BOM is tolerated and ignored; a second one is an ordinary character, which TOML does not allow there.
        ReadOnlySpan<byte> rest = utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
        if (rest.StartsWith("\uFEFF"u8))
        {
            return new Utf8Text("", (new TomlPosition(1, 1), "a second byte order mark (U+FEFF) at the start of the file"));
        }

        var text = new StringBuilder(rest.Length);
        (TomlPosition Position, string Reason)? error = null;
        int line = 1;
        int column = 1;
        while (!rest.IsEmpty)
        {
            OperationStatus status = Rune.DecodeFromUtf8(rest, out Rune rune, out int consumed);
            if (status != OperationStatus.Done && error is null)
            {
                string reason = status == OperationStatus.NeedMoreData
                    ? $"invalid UTF-8: incomplete sequence starting with byte 0x{rest[0]:X2} at the end of the file (TOML files must be UTF-8)"
                    : $"invalid UTF-8: unexpected byte 0x{rest[0]:X2} (TOML files must be UTF-8)";
                error = (new TomlPosition(line, column), reason);
            }

            text.Append(rune.ToString());
            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            rest = rest[Math.Max(consumed, 1)..];
        }

        return new Utf8Text(text.ToString(), error);
    }
}
