using System.Globalization;
using System.Text;

namespace Inosync.Testing.RawFiles;

/// <summary>
/// A lossless mapping between file-name bytes and .NET strings, so byte names can be dictionary keys, be compared and
/// be printed: valid UTF-8 decodes as usual, and each byte of an invalid sequence becomes the lone surrogate
/// U+DC00 + byte (Python's "surrogateescape"). Valid UTF-8 never decodes to a lone surrogate, so the mapping is
/// one-to-one and <see cref="Encode"/> gives back the exact bytes.
/// </summary>
public static class RawName
{
    private const char EscapeBase = '\uDC00';

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
                bytes = bytes[consumed..];
            }
            else
            {
                text.Append((char)(EscapeBase + bytes[0]));
                bytes = bytes[1..];
            }
        }

        return text.ToString();
    }

    public static byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new List<byte>(text.Length + 8);
        Span<byte> buffer = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is >= '\uDC80' and <= '\uDCFF')
            {
                bytes.Add((byte)(c - EscapeBase)); // a lone low surrogate: an escaped byte
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int written = new Rune(c, text[i + 1]).EncodeToUtf8(buffer);
                bytes.AddRange(buffer[..written]);
                i++;
                continue;
            }

            int length = new Rune(c).EncodeToUtf8(buffer);
            bytes.AddRange(buffer[..length]);
        }

        return [.. bytes];
    }

    /// <summary>The byte length of the encoded name.</summary>
    public static int ByteCount(string text) => Encode(text).Length;

    /// <summary>The path NUL-terminated, ready for a libc call.</summary>
    public static byte[] ToCString(string path)
    {
        byte[] bytes = Encode(path);
        Array.Resize(ref bytes, bytes.Length + 1);
        return bytes;
    }

    /// <summary>For messages: control characters, escaped bytes and other invisible characters as \xNN / \u+NNNN.</summary>
    public static string Show(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var builder = new StringBuilder(path.Length);
        foreach (char c in path)
        {
            if (c is >= '\uDC80' and <= '\uDCFF')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{c - EscapeBase:x2}");
            }
            else if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                // NFD accents would merge with the previous letter and hide the difference to NFC.
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
