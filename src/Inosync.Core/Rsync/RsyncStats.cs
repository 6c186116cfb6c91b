using System.Globalization;

namespace Inosync.Rsync;

/// <summary>What <c>rsync --stats</c> reported about one run.</summary>
/// <param name="FilesTransferred">"Number of regular files transferred".</param>
/// <param name="BytesTransferred">"Total transferred file size" in bytes.</param>
public sealed record RsyncStats(long FilesTransferred, long BytesTransferred)
{
    /// <summary>Reads the --stats block from rsync's stdout; null when it is not there (rsync failed early).</summary>
    public static RsyncStats? Parse(string standardOutput)
    {
        ArgumentNullException.ThrowIfNull(standardOutput);
        long? files = null;
        long? bytes = null;
        foreach (var line in standardOutput.AsSpan().EnumerateLines())
        {
            files ??= ReadNumber(line, "Number of regular files transferred:");
            bytes ??= ReadNumber(line, "Total transferred file size:");
        }

        return files is null || bytes is null ? null : new RsyncStats(files.Value, bytes.Value);
    }

    private static long? ReadNumber(ReadOnlySpan<char> line, string label)
    {
        if (!line.StartsWith(label, StringComparison.Ordinal))
        {
            return null;
        }

        // "1,234,567 bytes": digits with the locale's thousands separators, then an optional unit.
        var value = 0L;
        var any = false;
        foreach (var c in line[label.Length..].TrimStart())
        {
            if (char.IsAsciiDigit(c))
            {
                value = (value * 10) + (c - '0');
                any = true;
            }
            else if (c is not (',' or '.' or '\''))
            {
                break;
            }
        }

        return any ? value : null;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{FilesTransferred} files, {BytesTransferred} bytes");
}
