using System.Globalization;

namespace Inosync.Toml;

/// <summary>
/// The document as Unicode scalar values, plus the line table that turns an index into a 1-based line and column.
/// </summary>
/// <remarks>
/// Implementation notes: decoding is our own because the BCL decoders are lenient in exactly the ways TOML forbids
/// (U+FFFD replacement, silent BOM stripping). Decoding stops at the first bad byte or forbidden control character
/// and keeps the error as <see cref="PendingError"/> instead of throwing: the parser raises it when it reaches that
/// point, so a sysadmin always gets the first problem in document order, whether it is a typo or a stray byte.
/// </remarks>
internal sealed class TomlSource
{
    private readonly List<int> _lineStarts;

    private TomlSource(string name, int[] scalars, int length, List<int> lineStarts)
    {
        Name = name;
        Scalars = scalars;
        Length = length;
        _lineStarts = lineStarts;
    }

    public string Name { get; }

    /// <summary>The decoded scalars; only the first <see cref="Length"/> are valid.</summary>
    public int[] Scalars { get; }

    public int Length { get; }

    /// <summary>Set when decoding stopped early: the error to raise once the parser reaches <see cref="Length"/>.</summary>
    public TomlException? PendingError { get; private set; }

    public static TomlSource Decode(ReadOnlySpan<byte> utf8, string name)
    {
        var scalars = new int[utf8.Length];
        var lineStarts = new List<int> { 0 };
        var source = new TomlSource(name, scalars, 0, lineStarts);
        int count = 0;
        int i = 0;

        if (utf8.Length >= 2 && ((utf8[0] == 0xFF && utf8[1] == 0xFE) || (utf8[0] == 0xFE && utf8[1] == 0xFF)))
        {
            return source.StopAt(count, "the file is UTF-16 encoded; TOML files must be UTF-8");
        }

        if (utf8.StartsWith("\uFEFF"u8))
        {
            // One BOM is tolerated and ignored; a second one is an ordinary (invalid) character.
            i = 3;
        }

        while (i < utf8.Length)
        {
            byte lead = utf8[i];
            int scalar;
            int size;
            if (lead < 0x80)
            {
                scalar = lead;
                size = 1;
            }
            else
            {
                string? problem = DecodeMultiByte(utf8[i..], out scalar, out size);
                if (problem is not null)
                {
                    return source.StopAt(count, problem);
                }
            }

            if (scalar == '\r' && (i + 1 >= utf8.Length || utf8[i + 1] != '\n'))
            {
                return source.StopAt(count, "a carriage return (CR) must be followed by a line feed (LF)");
            }

            if ((scalar < 0x20 && scalar != '\t' && scalar != '\n' && scalar != '\r') || scalar == 0x7F)
            {
                string hint = scalar == 0 && count < 4
                    ? " (is the file UTF-16? TOML files must be UTF-8)"
                    : " (inside a \"basic string\" write it as an escape such as \\u"
                        + scalar.ToString("X4", CultureInfo.InvariantCulture) + ")";
                return source.StopAt(count, $"control character {FormatCodePoint(scalar)} is not allowed{hint}");
            }

            scalars[count++] = scalar;
            if (scalar == '\n')
            {
                lineStarts.Add(count);
            }

            i += size;
        }

        return new TomlSource(name, scalars, count, lineStarts);
    }

    public TomlPosition PositionOf(int index)
    {
        int line = _lineStarts.BinarySearch(index);
        if (line < 0)
        {
            // Not a line start: ~line is the next line start, so the line is the one before it.
            line = ~line - 1;
        }

        return new TomlPosition(line + 1, index - _lineStarts[line] + 1);
    }

    public TomlException Error(int index, string reason) => new(Name, PositionOf(index), reason);

    /// <summary>"U+0041" style, as Unicode writes code points.</summary>
    public static string FormatCodePoint(int scalar) => "U+" + scalar.ToString("X4", CultureInfo.InvariantCulture);

    private TomlSource StopAt(int count, string reason)
    {
        var stopped = new TomlSource(Name, Scalars, count, _lineStarts);
        stopped.PendingError = stopped.Error(count, reason);
        return stopped;
    }

    /// <summary>Decodes one multi-byte UTF-8 sequence; returns why it is invalid, or null.</summary>
    private static string? DecodeMultiByte(ReadOnlySpan<byte> bytes, out int scalar, out int size)
    {
        byte lead = bytes[0];
        int minimum;
        if (lead is >= 0xC2 and <= 0xDF)
        {
            size = 2;
            scalar = lead & 0x1F;
            minimum = 0x80;
        }
        else if (lead is >= 0xE0 and <= 0xEF)
        {
            size = 3;
            scalar = lead & 0x0F;
            minimum = 0x800;
        }
        else if (lead is >= 0xF0 and <= 0xF4)
        {
            size = 4;
            scalar = lead & 0x07;
            minimum = 0x10000;
        }
        else
        {
            // 0x80-0xBF (continuation without a lead), 0xC0/0xC1 (always overlong), 0xF5-0xFF (beyond U+10FFFF).
            scalar = 0;
            size = 1;
            return $"invalid UTF-8: unexpected byte 0x{lead:X2} (TOML files must be UTF-8)";
        }

        for (int k = 1; k < size; k++)
        {
            if (k >= bytes.Length || (bytes[k] & 0xC0) != 0x80)
            {
                return $"invalid UTF-8: incomplete sequence starting with byte 0x{lead:X2} (TOML files must be UTF-8)";
            }

            scalar = (scalar << 6) | (bytes[k] & 0x3F);
        }

        if (scalar < minimum)
        {
            return $"invalid UTF-8: overlong encoding of {FormatCodePoint(scalar)}";
        }

        if (scalar is >= 0xD800 and <= 0xDFFF)
        {
            return $"invalid UTF-8: {FormatCodePoint(scalar)} is a surrogate, not a Unicode scalar value";
        }

        if (scalar > 0x10FFFF)
        {
            return $"invalid UTF-8: {FormatCodePoint(scalar)} is beyond U+10FFFF";
        }

        return null;
    }
}
