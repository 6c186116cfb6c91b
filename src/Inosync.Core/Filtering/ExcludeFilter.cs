using System.Buffers;
using System.Text;

namespace Inosync.Filtering;

/// <summary>
/// The <c>rexcludes</c>: rsync-style exclude patterns, matched the way rsync matches <c>--exclude=PATTERN</c>
/// (the same patterns are passed to rsync, so what we do not watch is exactly what rsync does not transfer).
/// Anything below an excluded directory is excluded too: rsync never descends into it.
/// </summary>
public sealed class ExcludeFilter
{
    // Paths up to this many UTF-8 bytes are matched in a stack buffer; longer ones rent one.
    private const int StackBytes = 512;

    private readonly ExcludeRule[] _rules;

    /// <summary>Compiles the patterns.</summary>
    /// <exception cref="ArgumentException">A pattern is malformed; the message names it.</exception>
    public ExcludeFilter(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _rules = [.. patterns.Select(ExcludeRule.Parse)];
    }

    /// <summary>Excludes nothing.</summary>
    public static ExcludeFilter None { get; } = new([]);

    /// <summary>True when there are no patterns: nothing is excluded.</summary>
    public bool IsEmpty => _rules.Length == 0;

    /// <summary>Whether an entry is excluded, by a pattern matching it or one of its ancestor directories.</summary>
    /// <param name="relativePath">Relative to the watched root, '/'-separated, no leading or trailing '/'; "" (the root) is never excluded.</param>
    /// <param name="isDirectory">Whether the entry is a directory (patterns ending in '/' match only directories).</param>
    public bool IsExcluded(string relativePath, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (_rules.Length == 0 || relativePath.Length == 0)
        {
            return false;
        }

        var size = Encoding.UTF8.GetMaxByteCount(relativePath.Length) + 2;
        byte[]? rented = null;
        Span<byte> buffer = size <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            // "/" + path + "/": the rules slice the leading or trailing slash in when rsync would add one. The path's
            // exact bytes, as rsync sees the name (a name that is not UTF-8 included).
            buffer[0] = (byte)'/';
            var length = FileNameEncoding.GetBytes(relativePath, buffer[1..]);
            buffer[length + 1] = (byte)'/';
            ReadOnlySpan<byte> slashed = buffer[..(length + 2)];

            // Ancestors first, top down, as rsync meets them while descending; each is followed by a '/'.
            for (var end = 1; end <= length; end++)
            {
                if (slashed[end] == '/' && Matches(slashed, end - 1, isDirectory: true))
                {
                    return true;
                }
            }

            return Matches(slashed, length, isDirectory);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool Matches(ReadOnlySpan<byte> slashed, int length, bool isDirectory)
    {
        foreach (var rule in _rules)
        {
            if (rule.IsMatch(slashed, length, isDirectory))
            {
                return true;
            }
        }

        return false;
    }
}
