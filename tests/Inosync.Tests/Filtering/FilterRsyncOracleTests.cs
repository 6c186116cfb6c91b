using System.Text;
using Inosync.Filtering;

namespace Inosync.Tests.Filtering;

/// <summary>
/// Real rsync is the oracle for the filter rules: on seeded random trees with awkward names and seeded random rule
/// lists (includes, excludes, anchors, "**", "***", directory-only rules, classes, clears), the paths inosync
/// admits (watches or syncs) are exactly the paths <c>rsync -r --filter=…</c> transfers.
/// </summary>
public sealed class FilterRsyncOracleTests : IDisposable
{
    private const string Rsync = "/usr/bin/rsync";
    private const int Trees = 25;
    private const int RuleListsPerTree = 84;

    // Spaces, wildcards, quotes, backslashes, a leading '-', '#' and ';' (comment starters in files), control
    // characters, non-ASCII.
    private static readonly string[] s_names =
    [
        "a", "b.txt", "c.php", "d.PHP", "build", "src", "lib", "x y", "a*b", "q?", "[ab]", @"back\slash", "-dash",
        "é.txt", "ü", "'quote'", "\"dq\"", ".hidden", "a.b.c", "#hash", ";semi", " lead", "trail ", "1", "22.log",
        "node_modules", "cache", "Readme", "readme", "***", "+ plus", "- minus", "!bang", "new\nline", "tab\tname",
    ];

    private static readonly string[] s_suffixes = ["*.txt", "*.php", "*.log", "*", "?", "*b*", "[a-c]*", "[[:digit:]]*", "[!a]*", ".*", "*[[:upper:]]*"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "inosync-oracle-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the temp directory are harmless.
        }
    }

    [Fact]
    public async Task Random_rule_lists_admit_exactly_what_rsync_transfers_on_random_trees()
    {
        var disagreements = new List<string>();
        var combinations = 0;
        // rsync spends most of its ~50 ms waiting to exit, not computing: several at once fit on two cores.
        using var limit = new SemaphoreSlim(4 * Environment.ProcessorCount);
        for (var seed = 1; seed <= Trees; seed++)
        {
            var random = new Random(seed);
            var tree = CreateTree(random, Path.Combine(_root, seed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var ruleLists = Enumerable.Range(0, RuleListsPerTree).Select(_ => RandomRules(random, tree.Entries)).ToList();
            var results = await Task.WhenAll(ruleLists.Select(async rules =>
            {
                await limit.WaitAsync();
                try
                {
                    var transferred = await RsyncDryRun.TransferredAsync(
                        tree.Directory, Path.Combine(Path.GetDirectoryName(tree.Directory)!, "dst"), rules.Select(r => "--filter=" + r));
                    return (Rules: rules, Transferred: transferred);
                }
                finally
                {
                    limit.Release();
                }
            }));

            foreach (var (rules, transferred) in results)
            {
                combinations++;
                var admitted = Admitted(tree.Entries, rules);
                if (!admitted.SetEquals(transferred))
                {
                    disagreements.Add(
                        $"tree {seed}, rules [{string.Join(" | ", rules)}]: we also admit [{string.Join(", ", admitted.Except(transferred))}], " +
                        $"rsync also transfers [{string.Join(", ", transferred.Except(admitted))}]");
                }
            }
        }

        combinations.Should().BeGreaterThanOrEqualTo(2000);
        disagreements.Should().BeEmpty();
    }

    // Entries relative to the tree's root; directories end in '/'.
    private static (string Directory, List<string> Entries) CreateTree(Random random, string directory)
    {
        var source = Path.Combine(directory, "src");
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(Path.Combine(directory, "dst"));
        var entries = new List<string>();

        void Fill(string relative, int depth)
        {
            foreach (var name in s_names.OrderBy(_ => random.Next()).Take(random.Next(3, 9)))
            {
                var path = relative + name;
                var full = Path.Combine(source, path);
                if (depth < 3 && random.Next(3) == 0)
                {
                    Directory.CreateDirectory(full);
                    entries.Add(path + "/");
                    Fill(path + "/", depth + 1);
                }
                else
                {
                    File.WriteAllText(full, path);
                    entries.Add(path);
                }
            }
        }

        Fill("", 0);
        return (source, entries);
    }

    private static List<string> RandomRules(Random random, List<string> entries)
    {
        var rules = new List<string>();
        var count = random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            if (random.Next(25) == 0)
            {
                rules.Add(random.Next(2) == 0 ? "!" : "clear");
                continue;
            }

            var action = random.Next(2) == 0 ? "+" : "-";
            var prefix = random.Next(8) switch
            {
                0 => action == "+" ? "include " : "exclude ",
                1 => action + "_",
                _ => action + " ",
            };
            rules.Add(prefix + RandomPattern(random, entries));
        }

        // The common shapes: every directory included, everything else excluded at the end.
        if (random.Next(3) == 0)
        {
            rules.Insert(random.Next(rules.Count + 1), "+ */");
        }

        if (random.Next(3) == 0)
        {
            rules.Add("- *");
        }

        return rules;
    }

    private static string RandomPattern(Random random, List<string> entries)
    {
        var entry = entries[random.Next(entries.Count)].TrimEnd('/');
        var parts = entry.Split('/');
        var last = parts[^1];
        var pattern = random.Next(10) switch
        {
            0 => last,
            1 => "/" + entry,
            2 => s_suffixes[random.Next(s_suffixes.Length)],
            3 => "/" + string.Join('/', parts[..^1].Append(s_suffixes[random.Next(s_suffixes.Length)])),
            4 => parts.Length > 1 ? parts[^2] + "/" + last : "*/" + last,
            5 => "**/" + last,
            6 => "/" + parts[0] + "/**",
            7 => (random.Next(2) == 0 ? "/" : "") + entry + "/***",
            8 => parts[0] + "/**/" + s_suffixes[random.Next(s_suffixes.Length)],
            _ => Wildcard(random, last),
        };
        return random.Next(4) == 0 ? pattern + "/" : pattern;
    }

    // Some bytes of a name turned into wildcards; the others stay, escaped when the pattern becomes wild.
    private static string Wildcard(Random random, string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            text.Append(random.Next(5) switch
            {
                0 => "?",
                1 => "*",
                _ => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString(),
            });
        }

        return text.ToString();
    }

    private static HashSet<string> Admitted(List<string> entries, List<string> rules)
    {
        var builder = new FilterListBuilder();
        foreach (var rule in rules)
        {
            builder.AddFilterRule(rule, "oracle");
        }

        var filter = new PathFilter(builder.Rules);
        return entries
            .Where(e => !filter.IsExcluded(e.TrimEnd('/'), e.EndsWith('/')))
            .Select(e => e.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);
    }
}
