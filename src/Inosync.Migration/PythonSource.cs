using System.Buffers;
using System.Globalization;
using System.Text;

namespace Inosync.Migration;

/// <summary>
/// A Python file as Unicode scalar values with universal newlines (CR LF and CR read as LF, as Python reads them),
/// plus the line table that turns an index into a line and column.
/// </summary>
internal sealed class PythonSource
{
    private readonly List<int> _lineStarts;

    private PythonSource(string name, int[] scalars, List<int> lineStarts)
    {
        Name = name;
        Scalars = scalars;
        _lineStarts = lineStarts;
    }

    /// <summary>The file as the user named it; the prefix of every message.</summary>
    public string Name { get; }

    public int[] Scalars { get; }

    public int Length => Scalars.Length;

    /// <summary>Decodes strict UTF-8 (Python 3's source encoding), skipping one BOM.</summary>
    /// <exception cref="Configuration.ConfigException">The bytes are not UTF-8.</exception>
    public static PythonSource Decode(ReadOnlySpan<byte> utf8, string name)
    {
        var scalars = new List<int>(utf8.Length);
        var lineStarts = new List<int> { 0 };
        int i = utf8.StartsWith("\uFEFF"u8) ? 3 : 0;
        while (i < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[i..], out Rune rune, out int size) != OperationStatus.Done)
            {
                // A legacy Latin-1 file (Python 2 with a coding cookie) ends up here; re-encoding it is the user's call.
                var at = new PythonSource(name, [.. scalars], lineStarts).PositionOf(scalars.Count);
                throw ConversionErrors.Invalid(name, at,
                    $"byte 0x{utf8[i].ToString("X2", CultureInfo.InvariantCulture)} is not UTF-8 (re-encode the file, e.g. iconv -f latin1 -t utf-8)");
            }

            int scalar = rune.Value;
            if (scalar == '\r')
            {
                scalar = '\n';
                if (i + 1 < utf8.Length && utf8[i + 1] == '\n')
                {
                    size++;
                }
            }

            scalars.Add(scalar);
            if (scalar == '\n')
            {
                lineStarts.Add(scalars.Count);
            }

            i += size;
        }

        return new PythonSource(name, [.. scalars], lineStarts);
    }

    public PyPosition PositionOf(int index)
    {
        int line = _lineStarts.BinarySearch(index);
        if (line < 0)
        {
            // Not a line start: ~line is the next line start, so the line is the one before it.
            line = ~line - 1;
        }

        return new PyPosition(line + 1, index - _lineStarts[line] + 1);
    }

    /// <summary>The scalars in [start, end) as a string.</summary>
    public string Slice(int start, int end)
    {
        var builder = new StringBuilder(end - start);
        for (int i = start; i < end; i++)
        {
            builder.Append(char.ConvertFromUtf32(Scalars[i]));
        }

        return builder.ToString();
    }
}
