using System.Buffers;
using System.Text;

namespace Inosync.Filtering;

/// <summary>
/// A sync's filter rules (rexcludes, exclude_from, filter, filter_from, in that order), matched the way rsync matches
/// its <c>--filter</c> rules: for each path the first rule whose pattern matches decides, and a path no rule
/// matches is included. The same rules are passed to rsync, so what we watch is exactly what rsync transfers.
/// Anything below an excluded directory is excluded too: rsync never descends into it.
/// </summary>
public sealed class PathFilter
{
    // Paths up to this many UTF-8 bytes are matched in a stack buffer; longer ones rent one.
    private const int StackBytes = 512;

    private readonly RulePattern[] _patterns;
    private readonly bool[] _includes;

    /// <summary>Compiles the rules; a pattern rsync could never match is kept and matches nothing (see <see cref="NeverMatching"/>).</summary>
    public PathFilter(IEnumerable<FilterRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
        _patterns = [.. Rules.Select(r => RulePattern.Compile(r.Pattern))];
        _includes = [.. Rules.Select(r => r.Action == FilterAction.Include)];
        DecidesByNameOnly = _patterns.All(p => p.MatchesNameOnly);
    }

    /// <summary>Excludes nothing.</summary>
    public static PathFilter None { get; } = new([]);

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<FilterRule> Rules { get; }

    /// <summary>True when there are no rules: nothing is excluded.</summary>
    public bool IsEmpty => _patterns.Length == 0;

    /// <summary>
    /// Whether every rule looks at names only: then what a directory holds is decided the same wherever the directory
    /// is, and a moved directory can be moved on the nodes too. A rule with a path in it ("/a/*.bin", "src/**")
    /// may exclude at the new place what it included at the old one.
    /// </summary>
    public bool DecidesByNameOnly { get; }

    /// <summary>The rules whose pattern rsync accepts but can never match, each with the reason.</summary>
    public IEnumerable<(FilterRule Rule, string Problem)> NeverMatching =>
        Rules.Zip(_patterns).Where(p => p.Second.Problem is not null).Select(p => (p.First, p.Second.Problem!));

    /// <summary>Whether an entry is excluded: the first rule matching it, or one of its ancestor directories, excludes.</summary>
    /// <param name="relativePath">Relative to the watched root, '/'-separated, no leading or trailing '/'; "" (the root) is never excluded.</param>
    /// <param name="isDirectory">Whether the entry is a directory (patterns ending in '/' match only directories).</param>
    public bool IsExcluded(string relativePath, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (_patterns.Length == 0 || relativePath.Length == 0)
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
                if (slashed[end] == '/' && Excludes(slashed, end - 1, isDirectory: true))
                {
                    return true;
                }
            }

            return Excludes(slashed, length, isDirectory);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // The first matching rule decides; no match includes.
    private bool Excludes(ReadOnlySpan<byte> slashed, int length, bool isDirectory)
    {
        for (var i = 0; i < _patterns.Length; i++)
        {
            if (_patterns[i].IsMatch(slashed, length, isDirectory))
            {
                return !_includes[i];
            }
        }

        return false;
    }
}
