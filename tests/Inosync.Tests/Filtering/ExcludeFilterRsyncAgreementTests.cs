using Inosync.Tests.Support;
using Inosync.Filtering;

namespace Inosync.Tests.Filtering;

/// <summary>
/// The filter must exclude exactly what rsync excludes for the same <c>--exclude</c> values: the same patterns
/// decide what we watch and what rsync transfers. Each pattern is checked against a real tree with real rsync.
/// </summary>
public sealed class ExcludeFilterRsyncAgreementTests : IDisposable
{
    // Directories end in '/'. Names chosen to sit on the edges of the patterns below.
    private static readonly string[] s_tree =
    [
        "a.o", "b.c", "x.o/", "x.o/inner.c",
        "build/", "build/out.o", "build/sub/", "build/sub/x.c",
        "src/", "src/build", "src/main.c", "src/y.o", "src/lib/", "src/lib/y.o", "src/lib/build/", "src/lib/build/y.o",
        "foo/", "foo/bar", "foo/baz/", "foo/baz/bar", "foo/a/", "foo/a/b/", "foo/a/b/bar",
        "x/", "x/foo/", "x/foo/bar",
        "dir/", "dir/x", "dir/sub/", "dir/sub/y", "deep/", "deep/dir/", "deep/dir/f",
        "logs/", "logs/a.log", "logs/2024/", "logs/2024/b.log",
        "a*b", "axb", "a[1]", "a1", "ax", "-x", "]x", @"foo\bar", "foobar",
        "é.txt", "e.txt", "ab.txt", "Readme", "readme", ".git/", ".git/config", ".gitignore", " space", "a b/", "a b/c d",
    ];

    private static readonly string[] s_patterns =
    [
        "*.o", "*.c", "build/", "/build", "/build/", "/src/lib/build/", "build", "*/build",
        "foo/bar", "foo/*/bar", "/foo/**/bar", "**/bar", "foo/**", "foo/***", "dir/***", "/dir/***", "src/**/y.o",
        "**.log", "logs/**", "/logs/*", "/*.c", "*/", "/*/", "*",
        @"a\*b", "a*b", "a[0-9]", "a[!0-9]", "a[^0-9]", "[]a]x", "[a-]x", "?.txt", "[[:upper:]]*", "*[[:digit:]]*",
        "[[:x]", "[[:alpha:]][[:alpha:]].txt", @"foo\bar", @"foo\bar*", ".git", ".git/", "- *.c", " space", "a b/",
        "c d", "/a b/c d", "**", "/**", "**/", "/**/*", "/**/bar", "**/foo/**", "*o*/**/b*", "x/**/bar", "x*/", "*.o/",
        "[!a]*", "*[!.]?", "*/*/*", "/*/*", "[[:punct:]]*", "[[:space:]]*", "*\\*", "[a-c-e]*",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "inosync-excludes-" + Guid.NewGuid().ToString("N"));

    public ExcludeFilterRsyncAgreementTests()
    {
        foreach (var entry in s_tree)
        {
            var full = Path.Combine(_root, "src", entry);
            if (entry.EndsWith('/'))
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, entry);
            }
        }

        Directory.CreateDirectory(Path.Combine(_root, "dst"));
    }

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
    public async Task Each_pattern_admits_exactly_what_rsync_transfers()
    {
        var disagreements = new List<string>();
        foreach (var pattern in s_patterns)
        {
            var transferred = await RsyncTransfersAsync([pattern]);
            var admitted = Admitted(Filters.Excluding([pattern]));
            if (!admitted.SetEquals(transferred))
            {
                disagreements.Add(
                    $"--exclude='{pattern}': we also admit [{string.Join(", ", admitted.Except(transferred))}], " +
                    $"rsync also transfers [{string.Join(", ", transferred.Except(admitted))}]");
            }
        }

        disagreements.Should().BeEmpty();
    }

    [Fact]
    public async Task Several_patterns_together_admit_exactly_what_rsync_transfers()
    {
        string[] patterns = ["*.o", "/build/", "foo/*/bar", "logs/**", ".git/", "?.txt"];

        var transferred = await RsyncTransfersAsync(patterns);

        Admitted(Filters.Excluding(patterns)).Should().BeEquivalentTo(transferred);
    }

    private static HashSet<string> Admitted(PathFilter filter) =>
        s_tree.Where(e => !filter.IsExcluded(e.TrimEnd('/'), e.EndsWith('/'))).Select(e => e.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);

    private Task<HashSet<string>> RsyncTransfersAsync(IEnumerable<string> patterns) =>
        RsyncDryRun.TransferredAsync(Path.Combine(_root, "src"), Path.Combine(_root, "dst"), patterns.Select(p => "--exclude=" + p));
}
