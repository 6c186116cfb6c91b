namespace Inosync.Filtering;

/// <summary>One include or exclude rule as rsync reads it: the first rule whose pattern matches a path decides.</summary>
/// <param name="Action">Include or exclude.</param>
/// <param name="Pattern">The rsync pattern, exactly as rsync gets it (anchors, trailing '/', wildcards).</param>
/// <param name="Origin">Where the rule was written ("sync.toml:4:11", "rules.txt:7"), for messages.</param>
public sealed record FilterRule(FilterAction Action, string Pattern, string Origin)
{
    /// <summary>The rule as one <c>--filter</c> value: "+ PATTERN" or "- PATTERN".</summary>
    public string ToRsyncRule() => (Action == FilterAction.Include ? "+ " : "- ") + Pattern;

    /// <inheritdoc/>
    public override string ToString() => ToRsyncRule();
}
