using System.Text;

namespace Inosync.Filtering;

/// <summary>One rsync exclude pattern, compiled with the same reading rsync gives an <c>--exclude=PATTERN</c>.</summary>
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
/// </remarks>
internal sealed class ExcludeRule
{
    private readonly WildPattern _matcher;
    private readonly Scope _scope;
    private readonly int _components;
    private readonly bool _directoriesOnly;
    private readonly bool _matchesDirectoryItself;

    private ExcludeRule(string pattern, WildPattern matcher, Scope scope, int components, bool directoriesOnly, bool matchesDirectoryItself)
    {
        Pattern = pattern;
        _matcher = matcher;
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

    /// <summary>The pattern as configured.</summary>
    public string Pattern { get; }

    /// <exception cref="ArgumentException">The pattern is empty, not an exclude, or malformed.</exception>
    public static ExcludeRule Parse(string pattern)
    {
        if (pattern is null)
        {
            throw new ArgumentException("An exclude pattern is null.");
        }

        var text = pattern;
        if (text.Length == 0)
        {
            throw Invalid(pattern, "it is empty");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(pattern, "it contains a NUL character");
        }

        // rsync reads --exclude values with the old-style prefixes: "- x" is an exclude of x, "+ x" an include,
        // and a lone "!" clears every exclude before it. Accept the first; the others would not mean "exclude".
        if (text == "!")
        {
            throw Invalid(pattern, "rsync reads a lone '!' as \"clear the exclude list\"");
        }

        if (text.StartsWith("+ ", StringComparison.Ordinal))
        {
            throw Invalid(pattern, "rsync reads a leading \"+ \" as an include rule; only excludes are supported");
        }

        if (text.StartsWith("- ", StringComparison.Ordinal))
        {
            text = text[2..];
            if (text.Length == 0)
            {
                throw Invalid(pattern, "nothing follows the \"- \" prefix");
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text).AsSpan();
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

        var matcher = wild ? WildPattern.Parse(body, pattern) : WildPattern.Literal(body);
        var matchesDirectoryItself = starStar && bytes.EndsWith("***"u8);
        return new ExcludeRule(pattern, matcher, scope, slashes + 1, directoriesOnly, matchesDirectoryItself);
    }

    /// <summary>Whether the rule matches one path.</summary>
    /// <param name="slashed">"/" + the relative path (UTF-8) + "/": the slashes around it serve the scopes that need them.</param>
    /// <param name="length">The length of the path inside <paramref name="slashed"/> (it may be a prefix: an ancestor).</param>
    /// <param name="isDirectory">Whether the path is a directory.</param>
    public bool IsMatch(ReadOnlySpan<byte> slashed, int length, bool isDirectory)
    {
        if (_directoriesOnly && !isDirectory)
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

    /// <summary>The one shape of "this pattern is wrong" message, so configuration errors read alike.</summary>
    internal static ArgumentException Invalid(string pattern, string reason) =>
        new($"Invalid exclude pattern \"{pattern}\": {reason}.");
}
