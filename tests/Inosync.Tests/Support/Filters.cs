using Inosync.Filtering;

namespace Inosync.Tests.Support;

/// <summary>Filters for tests, built the way the configuration builds them.</summary>
internal static class Filters
{
    /// <summary>Exclude rules, each read as a rexcludes value (rsync's --exclude).</summary>
    public static PathFilter Excluding(IEnumerable<string> patterns)
    {
        var builder = new FilterListBuilder();
        foreach (var pattern in patterns)
        {
            builder.AddExclude(pattern, "test");
        }

        return new PathFilter(builder.Rules);
    }

    /// <summary>Rules in --filter syntax ("+ x", "- x", "!").</summary>
    public static IReadOnlyList<FilterRule> Rules(IEnumerable<string> rules)
    {
        var builder = new FilterListBuilder();
        foreach (var rule in rules)
        {
            builder.AddFilterRule(rule, "test");
        }

        return builder.Rules;
    }
}
