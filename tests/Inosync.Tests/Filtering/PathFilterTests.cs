using Inosync.Tests.Support;
using Inosync.Filtering;

namespace Inosync.Tests.Filtering;

public sealed class PathFilterTests
{
    [Theory]
    // No '/': the last component only, at any depth; below an excluded directory everything is excluded.
    [InlineData("*.o", "a.o", false, true)]
    [InlineData("*.o", "src/deep/a.o", false, true)]
    [InlineData("*.o", "a.c", false, false)]
    [InlineData("*.o", "x.o/inner.c", false, true)]
    [InlineData("foo", "foo", true, true)]
    [InlineData("foo", "afoo", false, false)]
    [InlineData(".git", ".git/config", false, true)]
    [InlineData(".git", ".gitignore", false, false)]
    // A trailing '/' matches directories only.
    [InlineData("build/", "build", true, true)]
    [InlineData("build/", "build", false, false)]
    [InlineData("build/", "build/x/y.c", false, true)]
    [InlineData("build/", "src/build/x", false, true)]
    [InlineData("*/", "x", true, true)]
    [InlineData("*/", "x", false, false)]
    [InlineData("*/", "x/f", false, true)]
    // A leading '/' anchors at the transfer root.
    [InlineData("/build", "build", false, true)]
    [InlineData("/build", "src/build", false, false)]
    [InlineData("/build", "build/x", false, true)]
    [InlineData("/*.c", "a.c", false, true)]
    [InlineData("/*.c", "src/a.c", false, false)]
    [InlineData("/", "a", false, false)]
    // An inner '/' without "**": the last (slashes + 1) components.
    [InlineData("foo/bar", "foo/bar", false, true)]
    [InlineData("foo/bar", "x/foo/bar", false, true)]
    [InlineData("foo/bar", "xfoo/bar", false, false)]
    [InlineData("foo/bar", "foo/bar/baz", false, true)]
    [InlineData("foo/*/bar", "foo/x/bar", false, true)]
    [InlineData("foo/*/bar", "foo/x/y/bar", false, false)]
    [InlineData("*/build", "src/build", false, true)]
    [InlineData("*/build", "build", false, false)]
    // "**" crosses '/'.
    [InlineData("/foo/**/bar", "foo/bar", false, false)]
    [InlineData("/foo/**/bar", "foo/x/bar", false, true)]
    [InlineData("/foo/**/bar", "foo/x/y/bar", false, true)]
    [InlineData("**/bar", "bar", false, true)]
    [InlineData("**/bar", "a/b/bar", false, true)]
    [InlineData("**.log", "x.log", false, true)]
    [InlineData("**.log", "logs/2024/x.log", false, true)]
    [InlineData("foo/**", "foo", true, false)]
    [InlineData("foo/**", "foo/x", false, true)]
    [InlineData("foo/**", "a/foo/x", false, true)]
    [InlineData("src/**/y.o", "src/y.o", false, false)]
    [InlineData("src/**/y.o", "src/lib/y.o", false, true)]
    [InlineData("src/**/y.o", "x/src/a/b/y.o", false, true)]
    // "dir/***" is the directory and everything below it.
    [InlineData("dir/***", "dir", true, true)]
    [InlineData("dir/***", "dir", false, false)]
    [InlineData("dir/***", "dir/a/b", false, true)]
    [InlineData("dir/***", "deep/dir", true, true)]
    // '?' and classes: one byte, never '/'.
    [InlineData("?.txt", "e.txt", false, true)]
    [InlineData("?.txt", "é.txt", false, false)]
    [InlineData("a?c", "a/c", false, false)]
    [InlineData("a[0-9]", "a5", false, true)]
    [InlineData("a[0-9]", "ax", false, false)]
    [InlineData("a[!0-9]", "ax", false, true)]
    [InlineData("a[^0-9]", "a5", false, false)]
    [InlineData("[]a]x", "]x", false, true)]
    [InlineData("[]a]x", "ax", false, true)]
    [InlineData("[a-]x", "-x", false, true)]
    [InlineData("[[:upper:]]*", "Readme", false, true)]
    [InlineData("[[:upper:]]*", "readme", false, false)]
    [InlineData("*[[:digit:]]*", "a1b", false, true)]
    [InlineData("[[:x]", ":", false, true)]
    // '\' escapes only in a pattern with wildcards.
    [InlineData(@"a\*b", "a*b", false, true)]
    [InlineData(@"a\*b", "axb", false, false)]
    [InlineData(@"foo\bar", @"foo\bar", false, true)]
    [InlineData(@"foo\bar", "foobar", false, false)]
    [InlineData(@"foo\bar*", "foobar", false, true)]
    // rsync reads "- " in an --exclude value as the exclude prefix.
    [InlineData("- *.tmp", "x.tmp", false, true)]
    [InlineData("*", "anything/at/all", false, true)]
    public void Pattern_matches_like_rsync(string pattern, string path, bool isDirectory, bool excluded)
    {
        var filter = Filters.Excluding([pattern]);

        filter.IsExcluded(path, isDirectory).Should().Be(excluded, "pattern \"{0}\" on {1} \"{2}\"", pattern, isDirectory ? "directory" : "file", path);
    }

    [Fact]
    public void Root_is_never_excluded()
    {
        Filters.Excluding(["*", "**", "/"]).IsExcluded("", true).Should().BeFalse();
    }

    [Fact]
    public void No_patterns_exclude_nothing()
    {
        var filter = Filters.Excluding([]);

        filter.IsEmpty.Should().BeTrue();
        filter.IsExcluded("a/b", false).Should().BeFalse();
    }

    [Fact]
    public void Any_matching_pattern_excludes()
    {
        var filter = Filters.Excluding(["*.o", "/build/"]);

        filter.IsEmpty.Should().BeFalse();
        filter.IsExcluded("src/a.o", false).Should().BeTrue();
        filter.IsExcluded("build/a.c", false).Should().BeTrue();
        filter.IsExcluded("src/a.c", false).Should().BeFalse();
    }

    [Fact]
    public void Long_paths_match_too()
    {
        var deep = string.Join('/', Enumerable.Repeat("directory", 100));

        Filters.Excluding(["/directory/**/tail"]).IsExcluded(deep + "/tail", false).Should().BeTrue();
        Filters.Excluding(["nope"]).IsExcluded(deep + "/tail", false).Should().BeFalse();
    }

    [Theory]
    [InlineData("abc[", "no closing ']'")]
    [InlineData("[!", "no closing ']'")]
    [InlineData("[]", "no closing ']'")]
    [InlineData("x[[:alpha:]", "no closing ']'")]
    [InlineData("[[:nope:]]", "[:nope:] is not a character class")]
    [InlineData(@"*\", "lone '\\'")]
    public void A_pattern_rsync_can_never_match_is_accepted_matches_nothing_and_says_why(string pattern, string reason)
    {
        var filter = Filters.Excluding(["ok", pattern]);

        filter.IsExcluded("abc[", false).Should().BeFalse();
        filter.IsExcluded("x", true).Should().BeFalse();
        filter.IsExcluded("ok", false).Should().BeTrue();
        filter.NeverMatching.Should().ContainSingle().Which.Should().Match<(FilterRule Rule, string Problem)>(
            p => p.Rule.Pattern == pattern && p.Problem.Contains(reason));
    }

    [Theory]
    [InlineData("+ keep", "include")]
    [InlineData("!", "clear")]
    [InlineData("- ", "no pattern")]
    public void An_exclude_that_rsync_would_read_as_another_rule_is_refused_with_its_text(string pattern, string reason)
    {
        var create = () => Filters.Excluding(["ok", pattern]);

        create.Should().Throw<FormatException>()
            .Which.Message.Should().Contain($"\"{pattern}\"").And.Contain(reason);
    }

    [Fact]
    public void An_empty_exclude_is_ignored_as_rsync_ignores_it()
    {
        Filters.Excluding(["", "*.o"]).Rules.Should().ContainSingle().Which.Pattern.Should().Be("*.o");
    }

    [Fact]
    public void Matching_allocates_nothing()
    {
        var filter = Filters.Excluding(["*.o", "/build/", "foo/*/bar", "logs/**", "dir/***", "[[:upper:]]*", ".git"]);
        filter.IsExcluded("src/lib/deep/file.c", false);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            filter.IsExcluded("src/lib/deep/file.c", false);
            filter.IsExcluded("x/foo/y/bar", true);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Backslash_at_the_end_of_a_pattern_without_wildcards_is_literal()
    {
        Filters.Excluding([@"name\"]).IsExcluded(@"name\", false).Should().BeTrue();
    }

    [Fact]
    public void Names_that_are_not_utf8_are_matched_byte_for_byte_as_rsync_does()
    {
        // '?' is one byte in rsync: "caf\xe9" (Latin-1, one byte) matches "caf?", "café" (two bytes) does not.
        var filter = Filters.Excluding(["caf?", "*\xff*"]);

        filter.IsExcluded(FileNameEncoding.GetString([.. "caf"u8, 0xE9]), false).Should().BeTrue();
        filter.IsExcluded("caf\u00e9", false).Should().BeFalse();
        filter.IsExcluded(FileNameEncoding.GetString([.. "a"u8, 0xFF, .. "b"u8]), false).Should().BeFalse("U+00FF is two bytes in a pattern");
    }
}
