using System.Globalization;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// The configuration a churn run adds, derived from its seed so a replay gets the same: exclusions always (and the
/// independent oracle the comparison uses for them), and on some seeds a tiny max_names_per_directory (the coalescer
/// collapses a directory's names into one recursive job) or an edelay (batches start later and grow bigger).
/// </summary>
internal sealed record ChurnConfig(string Toml, string Description)
{
    /// <summary>
    /// "*.swp" catches the workload's atomic saves (written under an excluded name, renamed to an included one) and any
    /// name ending so; "n7/" excludes every directory named n7 (one of the plain names), so renames move whole subtrees
    /// into and out of exclusion.
    /// </summary>
    private const string Excludes = "rexcludes = [\"*.swp\", \"n7/\"]";

    public static ChurnConfig For(int seed)
    {
        var toml = new List<string> { Excludes };
        var description = new List<string> { "rexcludes *.swp n7/" };
        if (seed % 3 == 0)
        {
            toml.Add("max_names_per_directory = 4");
            description.Add("max_names_per_directory 4");
        }

        if (seed % 4 == 1)
        {
            toml.Add("edelay = 0.2");
            description.Add("edelay 0.2 s");
        }

        return new ChurnConfig(string.Join('\n', toml), string.Join(", ", description));
    }

    /// <summary>What the excludes mean, written out by hand (rsync's rules for these two patterns, not inosync's code).</summary>
    public static bool IsExcluded(string path, TreeEntryKind kind)
    {
        string name = path[(path.LastIndexOf('/') + 1)..];
        return name.EndsWith(".swp", StringComparison.Ordinal) || (name == "n7" && kind == TreeEntryKind.Directory);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"config: {Description}");
}
