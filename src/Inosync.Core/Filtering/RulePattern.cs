using System.Text;

namespace Inosync.Filtering;

/// <summary>One rsync filter pattern, compiled with the reading rsync gives the pattern of a <c>--filter</c> rule.</summary>
/// <remarks>
/// Implementation notes (rsync's exclude.c, "PATTERN MATCHING RULES" in <c>man rsync</c>):
/// a trailing '/' is stripped and restricts the rule to directories; the pattern has wildcards if it holds any
/// of '*', '?', '['; only then is '\' an escape. Which part of the path it is matched against:
/// <list type="bullet">
/// <item>no '/' and no "**": the last name component only;</item>
/// <item>a leading '/': the whole path (anchored at the transfer root);</item>
/// <item>a leading "**": "/" + the path, so "**/x" also matches a top-level "x";</item>
/// <item>another '/' but no "**": the last (number of '/' + 1) components;</item>
/// <item>otherwise (a "**" inside): the path from its start or from just after any '/'.</item>
/// </list>
/// A pattern ending in "***" also matches the directory itself: for a directory rsync appends "/" to the text.
/// A pattern rsync's wildmatch can never match (an unclosed '[', an unknown [:class:], a lone trailing '\')
/// is accepted, as rsync accepts it, and matches nothing; <see cref="Problem"/> says why.
/// </remarks>
internal sealed class RulePattern
{
    private readonly WildPattern? _matcher;
    private readonly Scope _scope;
    private readonly int _components;
    private readonly bool _directoriesOnly;
    private readonly bool _matchesDirectoryItself;

    private RulePattern(WildPattern? matcher, string? problem, Scope scope, int components, bool directoriesOnly, bool matchesDirectoryItself)
    {
        _matcher = matcher;
        Problem = problem;
        _scope = scope;
        _components = components;
        _directoriesOnly = directoriesOnly;
        _matchesDirectoryItself = matchesDirectoryItself;
    }

    private enum Scope
    {
        LastComponent,
        WholePath,
        WithLeadingSlash,
        TrailingComponents,
        AfterAnySlash,
    }

    /// <summary>Whether the pattern looks at the last name only (no '/' inside, no "**"): its answer for an entry is
    /// the same wherever the entry's directory is.</summary>
    public bool MatchesNameOnly => _scope == Scope.LastComponent;

    /// <summary>Why the pattern can never match, or null when it can.</summary>
    public string? Problem { get; }

    /// <summary>Compiles a pattern (non-empty, no NUL: <see cref="FilterListBuilder"/> checks both).</summary>
    public static RulePattern Compile(string pattern)
    {
        var bytes = Encoding.UTF8.GetBytes(pattern).AsSpan();
        var directoriesOnly = bytes.Length > 1 && bytes[^1] == '/';
        if (directoriesOnly)
        {
            bytes = bytes[..^1];
        }

        var slashes = bytes.Count((byte)'/');
        var wild = bytes.IndexOfAny("*?["u8) >= 0;
        var starStar = wild && bytes.IndexOf("**"u8) >= 0;
        var leadingStarStar = starStar && bytes.StartsWith("**"u8);
        var anchored = bytes.Length > 0 && bytes[0] == '/';
        var body = anchored ? bytes[1..] : bytes;

        Scope scope;
        if (slashes == 0 && !starStar)
        {
            scope = Scope.LastComponent;
        }
        else if (leadingStarStar)
        {
            scope = Scope.WithLeadingSlash;
        }
        else if (anchored)
        {
            scope = Scope.WholePath;
        }
        else
        {
            scope = starStar ? Scope.AfterAnySlash : Scope.TrailingComponents;
        }

        WildPattern? matcher;
        string? problem = null;
        try
        {
            matcher = wild ? WildPattern.Parse(body) : WildPattern.Literal(body);
        }
        catch (FormatException e)
        {
            matcher = null;
            problem = e.Message;
        }

        var matchesDirectoryItself = starStar && bytes.EndsWith("***"u8);
        return new RulePattern(matcher, problem, scope, slashes + 1, directoriesOnly, matchesDirectoryItself);
    }

    /// <summary>Whether the rule matches one path.</summary>
    /// <param name="slashed">"/" + the relative path (UTF-8) + "/": the slashes around it serve the scopes that need them.</param>
    /// <param name="length">The length of the path inside <paramref name="slashed"/> (it may be a prefix: an ancestor).</param>
    /// <param name="isDirectory">Whether the path is a directory.</param>
    public bool IsMatch(ReadOnlySpan<byte> slashed, int length, bool isDirectory)
    {
        if (_matcher is null || (_directoriesOnly && !isDirectory))
        {
            return false;
        }

        var suffix = isDirectory && _matchesDirectoryItself ? 1 : 0;
        var path = slashed.Slice(1, length);
        switch (_scope)
        {
            case Scope.LastComponent:
                return _matcher.IsMatch(path[(path.LastIndexOf((byte)'/') + 1)..]);
            case Scope.WholePath:
                return _matcher.IsMatch(slashed.Slice(1, length + suffix));
            case Scope.WithLeadingSlash:
                return _matcher.IsMatch(slashed[..(1 + length + suffix)]);
            case Scope.AfterAnySlash:
                return _matcher.IsMatchAfterAnySlash(slashed.Slice(1, length + suffix));
            default:
                var start = TrailingComponentsStart(path, _components);
                return start >= 0 && _matcher.IsMatch(path[start..]);
        }
    }

    // Where the last n components of the path start; -1 when it has fewer (rsync then never matches).
    private static int TrailingComponentsStart(ReadOnlySpan<byte> path, int n)
    {
        for (var i = path.Length - 1; i >= 0; i--)
        {
            if (path[i] == '/' && --n == 0)
            {
                return i + 1;
            }
        }

        return n == 1 ? 0 : -1;
    }
}
