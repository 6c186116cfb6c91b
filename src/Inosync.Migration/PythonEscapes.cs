using System.Text;

namespace Inosync.Migration;

/// <summary>
/// Backslash escapes in Python string literals, as Python reads them: the one-letter ones, octal, \x, \u and \U;
/// an unknown escape is kept as written; raw strings keep the backslash; \N{…} and lone surrogates are refused.
/// </summary>
internal static class PythonEscapes
{
    public static void Read(PythonSource source, int[] text, ref int pos, StringBuilder value, bool raw)
    {
        int escapeStart = pos;
        int next = At(text, pos + 1);
        if (next == -1)
        {
            pos++;
            return; // The loop reports the unterminated string.
        }

        if (raw)
        {
            // In a raw string a backslash only keeps the next character from ending the string; both stay.
            value.Append('\\').Append(char.ConvertFromUtf32(next));
            pos += 2;
            return;
        }

        pos += 2;
        switch (next)
        {
            case '\n':
                return;
            case '\\' or '\'' or '"':
                value.Append((char)next);
                return;
            case 'a': value.Append('\a'); return;
            case 'b': value.Append('\b'); return;
            case 'f': value.Append('\f'); return;
            case 'n': value.Append('\n'); return;
            case 'r': value.Append('\r'); return;
            case 't': value.Append('\t'); return;
            case 'v': value.Append('\v'); return;
            case >= '0' and <= '7':
                {
                    int code = next - '0';
                    for (int i = 0; i < 2 && At(text, pos) is >= '0' and <= '7'; i++)
                    {
                        code = (code * 8) + (At(text, pos) - '0');
                        pos++;
                    }

                    value.Append((char)code);
                    return;
                }

            case 'x':
                value.Append(char.ConvertFromUtf32(ReadHex(source, text, ref pos, escapeStart, 2)));
                return;
            case 'u':
                value.Append(char.ConvertFromUtf32(ReadHex(source, text, ref pos, escapeStart, 4)));
                return;
            case 'U':
                value.Append(char.ConvertFromUtf32(ReadHex(source, text, ref pos, escapeStart, 8)));
                return;
            case 'N':
                throw ConversionErrors.Value(source.Name, source.PositionOf(escapeStart),
                    "\\N{…} escapes are not supported: write the character itself or a \\u escape");
            default:
                // Python keeps an unknown escape as it is, backslash included.
                value.Append('\\');
                pos--;
                return;
        }
    }

    private static int ReadHex(PythonSource source, int[] text, ref int pos, int escapeStart, int digits)
    {
        int code = 0;
        for (int i = 0; i < digits; i++)
        {
            int c = At(text, pos);
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw ConversionErrors.Invalid(source.Name, source.PositionOf(escapeStart),
                    $"truncated escape {source.Slice(escapeStart, pos)} (it needs {digits} hex digits)");
            }

            code = (code * 16) + digit;
            pos++;
            if (code > 0x10FFFF)
            {
                throw ConversionErrors.Invalid(source.Name, source.PositionOf(escapeStart),
                    $"escape {source.Slice(escapeStart, escapeStart + 2 + digits)} is beyond U+10FFFF");
            }
        }

        if (code is >= 0xD800 and <= 0xDFFF)
        {
            // Python keeps lone surrogates in strings; TOML (UTF-8) cannot hold them.
            throw ConversionErrors.Value(source.Name, source.PositionOf(escapeStart),
                $"escape {source.Slice(escapeStart, pos)} is a UTF-16 surrogate, which a TOML string cannot hold");
        }

        return code;
    }

    /// <summary>The code point at <paramref name="index"/>, or -1 past the end.</summary>
    private static int At(int[] text, int index) => index < text.Length ? text[index] : -1;
}
