namespace Inosync.Filtering;

/// <summary>
/// Collects a sync's filter rules in order, reading each text the way rsync reads the option it stands for:
/// <list type="bullet">
/// <item><see cref="AddFilterRule"/>: a <c>--filter</c> value or a line of a <c>merge</c> file: <c>+ PATTERN</c>,
///   <c>- PATTERN</c>, <c>include PATTERN</c>, <c>exclude PATTERN</c>, <c>!</c> or <c>clear</c>;</item>
/// <item><see cref="AddExcludeFileLine"/>: a line of an <c>--exclude-from</c> file: a pattern to exclude, or one
///   with the old prefixes <c>- </c>, <c>+ </c>, or a lone <c>!</c>;</item>
/// <item><see cref="AddExclude"/>: a <c>rexcludes</c> value: a pattern to exclude, optionally after <c>- </c>.</item>
/// </list>
/// A clear drops every rule added before it, as in rsync. An empty text is ignored, as rsync ignores it.
/// Rule kinds that make no sense for a watcher (merge, dir-merge, hide, show, protect, risk) and rule modifiers
/// are refused.
/// </summary>
internal sealed class FilterListBuilder
{
    // rsync discards a pattern of MAXPATHLEN (4096) bytes or more with an error and goes on without it.
    private const int MaxPatternBytes = 4095;

    private static readonly (string Word, char Kind)[] s_words =
    [
        ("clear", '!'), ("include", '+'), ("exclude", '-'),
        ("merge", '.'), ("dir-merge", ':'), ("hide", 'H'), ("show", 'S'), ("protect", 'P'), ("risk", 'R'),
    ];

    private readonly List<FilterRule> _rules = [];

    /// <summary>The rules so far, in order.</summary>
    public IReadOnlyList<FilterRule> Rules => [.. _rules];

    /// <summary>The lines of a rules file that hold a rule: split at '\n' and '\r'; empty lines and lines starting
    /// with '#' or ';' are skipped, as rsync skips them. Line numbers count from 1.</summary>
    public static IEnumerable<(int Line, string Text)> RuleLines(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var number = 1;
        foreach (var line in content.Split('\n'))
        {
            // rsync ends a line at '\r' too: "a\r\nb" is "a", an empty token, "b".
            foreach (var part in line.Split('\r'))
            {
                if (part.Length > 0 && part[0] is not ('#' or ';'))
                {
                    yield return (number, part);
                }
            }

            number++;
        }
    }

    /// <summary>Adds one rule in <c>--filter</c> syntax.</summary>
    /// <exception cref="FormatException">rsync would refuse the rule, or it is of a kind inosync does not support.</exception>
    public void AddFilterRule(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return;
        }

        var (kind, rest) = SplitKind(text);
        switch (kind)
        {
            case '!':
                if (rest.Length > 0)
                {
                    throw Invalid(text, "a clear rule ('!' or \"clear\") takes nothing after it");
                }

                _rules.Clear();
                return;
            case '+' or '-':
                Add(kind == '+' ? FilterAction.Include : FilterAction.Exclude, NonEmpty(text, rest), text, origin);
                return;
            case '.' or ':' or 'H' or 'S' or 'P' or 'R':
                throw Invalid(text, "only include (+), exclude (-) and clear (!) rules are supported");
            default:
                throw Invalid(text, "it is not a filter rule: start it with \"+ \" (include), \"- \" (exclude) or \"!\" (clear)");
        }
    }

    /// <summary>Adds one line of an exclude file: old-style prefixes, otherwise a pattern to exclude.</summary>
    /// <exception cref="FormatException">A prefix with no pattern after it.</exception>
    public void AddExcludeFileLine(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "!")
        {
            _rules.Clear();
        }
        else if (text.StartsWith("+ ", StringComparison.Ordinal))
        {
            Add(FilterAction.Include, NonEmpty(text, text[2..]), text, origin);
        }
        else if (text.Length > 0)
        {
            AddExclude(text, origin);
        }
    }

    /// <summary>Adds a pattern to exclude, with or without the "- " prefix rsync's <c>--exclude</c> accepts.</summary>
    /// <exception cref="FormatException">Only a prefix, a NUL character, or what rsync's <c>--exclude</c> would read as
    /// an include ("+ x") or a clear ("!"): not an exclude, so refused rather than guessed.</exception>
    public void AddExclude(string pattern, string origin)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            return;
        }

        if (pattern == "!")
        {
            throw Invalid(pattern, "rsync reads a lone '!' here as \"clear the list\"; write it in 'filter'");
        }

        if (pattern.StartsWith("+ ", StringComparison.Ordinal))
        {
            throw Invalid(pattern, "rsync reads a leading \"+ \" here as an include rule; write includes in 'filter'");
        }

        var body = pattern.StartsWith("- ", StringComparison.Ordinal) ? NonEmpty(pattern, pattern[2..]) : pattern;
        Add(FilterAction.Exclude, body, pattern, origin);
    }

    // The rule's kind ('+', '-', '!', another rsync kind, or '\0' for none) and what follows it: rsync's
    // parse_rule_tok. After the kind come modifiers up to a ' ' or '_'; we support none.
    private static (char Kind, string After) SplitKind(string text)
    {
        foreach (var (word, kind) in s_words)
        {
            if (text.StartsWith(word, StringComparison.Ordinal)
                && (text.Length == word.Length || text[word.Length] is ' ' or '_' or ','))
            {
                return (kind, Modifiers(text, word.Length));
            }
        }

        return text[0] switch
        {
            '!' => ('!', text[1..]),
            '+' or '-' or '.' or ':' or 'H' or 'S' or 'P' or 'R' => (text[0], Modifiers(text, 1)),
            _ => ('\0', text),
        };
    }

    // What follows a rule's kind: an optional ',', no modifiers, one ' ' or '_', then the pattern.
    private static string Modifiers(string text, int start)
    {
        var i = start < text.Length && text[start] == ',' ? start + 1 : start;
        if (i == text.Length)
        {
            return "";
        }

        return text[i] is ' ' or '_'
            ? text[(i + 1)..]
            : throw Invalid(text, $"rule modifiers ('{text[i]}' at position {i + 1}) are not supported");
    }

    private static string NonEmpty(string text, string pattern) =>
        pattern.Length > 0 ? pattern : throw Invalid(text, "no pattern follows the rule's kind");

    private static FormatException Invalid(string text, string reason) =>
        new($"filter rule \"{text}\": {reason}");

    private void Add(FilterAction action, string pattern, string text, string origin)
    {
        if (pattern.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(text, "it contains a NUL character (rsync would cut the pattern there)");
        }

        if (FileNameEncoding.GetByteCount(pattern) > MaxPatternBytes)
        {
            throw Invalid(text, $"the pattern is longer than {MaxPatternBytes} bytes (rsync would drop it)");
        }

        _rules.Add(new FilterRule(action, pattern, origin));
    }
}
