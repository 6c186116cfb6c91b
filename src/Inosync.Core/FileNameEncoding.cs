using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Inosync;

/// <summary>
/// File names are bytes on Linux, paths in inosync are strings: this maps one to the other without loss. Valid UTF-8
/// decodes as usual; each byte of an invalid sequence becomes the lone surrogate U+DC00 + byte (Python's
/// "surrogateescape"; only bytes ≥ 0x80 can be invalid, so U+DC80–U+DCFF). Valid UTF-8 never decodes to a lone
/// surrogate, so the mapping is one-to-one and <see cref="GetBytes"/> gives back the exact bytes: a name such as
/// <c>caf\xe9</c> (Latin-1) is watched, coalesced and handed to rsync like any other.
/// </summary>
internal static class FileNameEncoding
{
    private const char EscapeBase = '\uDC00';

    /// <summary>The name (or path) as a string; never fails.</summary>
    public static string GetString(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes); // the common case, at full speed
        }

        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed) == OperationStatus.Done)
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

    /// <summary>The exact bytes of a name produced by <see cref="GetString"/> (plain UTF-8 for any other string).</summary>
    public static byte[] GetBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[GetByteCount(text)];
        Write(text, bytes);
        return bytes;
    }

    /// <summary>Writes the exact bytes into <paramref name="destination"/> (at most 3 bytes per char) and returns their count.</summary>
    public static int GetBytes(string text, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Write(text, destination);
    }

    /// <summary>The bytes followed by NUL, for a libc call.</summary>
    public static byte[] GetNullTerminatedBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[GetByteCount(text) + 1];
        Write(text, bytes);
        return bytes;
    }

    public static int GetByteCount(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int count = 0;
        int i = 0;
        while (i < text.Length)
        {
            int used = Next(text, i, out Rune rune, out bool escaped);
            count += escaped ? 1 : rune.Utf8SequenceLength;
            i += used;
        }

        return count;
    }

    /// <summary>Whether <paramref name="c"/> stands for one raw byte of a name that is not valid UTF-8.</summary>
    public static bool IsEscapedByte(char c) => c is >= '\uDC80' and <= '\uDCFF';

    /// <summary>The raw byte <paramref name="c"/> stands for (see <see cref="IsEscapedByte"/>).</summary>
    public static byte EscapedByte(char c) => (byte)(c - EscapeBase);

    private static int Write(string text, Span<byte> destination)
    {
        int at = 0;
        int i = 0;
        while (i < text.Length)
        {
            int used = Next(text, i, out Rune rune, out bool escaped);
            if (escaped)
            {
                destination[at++] = EscapedByte(text[i]);
            }
            else
            {
                at += rune.EncodeToUtf8(destination[at..]);
            }

            i += used;
        }

        return at;
    }

    /// <summary>
    /// The name as one safe line for logs and terminals: newline and tab become <c>\n</c> and <c>\t</c>, other
    /// control characters (C0, DEL, C1) and the raw bytes of invalid UTF-8 become <c>\xNN</c>. A name with a newline can then neither forge a log line nor send escape
    /// sequences to a terminal. Backslashes stay as they are: logged rsync command lines must stay pasteable.
    /// </summary>
    public static string ForDisplay(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyInRange('\0', '\u001F') && !text.AsSpan().ContainsAnyInRange('\u007F', '\u009F')
            && !text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return text;
        }

        var shown = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length;)
        {
            int used = Next(text, i, out Rune rune, out bool escaped);
            if (escaped)
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\x{EscapedByte(text[i]):x2}");
            }
            else if (rune.Value == '\n' || rune.Value == '\t')
            {
                shown.Append(rune.Value == '\n' ? "\\n" : "\\t");
            }
            else if (rune.Value < 0x20 || rune.Value is >= 0x7F and <= 0x9F)
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
            }
            else
            {
                shown.Append(rune.ToString());
            }

            i += used;
        }

        return shown.ToString();
    }

    /// <summary>The character at <paramref name="index"/>: an escaped byte, or a rune (U+FFFD for any other lone
    /// surrogate, as <see cref="Encoding.UTF8"/> writes it). Returns how many chars it used.</summary>
    private static int Next(string text, int index, out Rune rune, out bool escaped)
    {
        escaped = IsEscapedByte(text[index]);
        if (escaped)
        {
            rune = default;
            return 1;
        }

        if (Rune.DecodeFromUtf16(text.AsSpan(index), out rune, out int used) != OperationStatus.Done)
        {
            rune = Rune.ReplacementChar;
            return 1;
        }

        return used;
    }
}
