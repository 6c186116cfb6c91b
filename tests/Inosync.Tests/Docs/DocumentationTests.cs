using System.Text.RegularExpressions;
using Inosync.Testing;

namespace Inosync.Tests.Docs;

/// <summary>
/// The docs stay honest: every relative link resolves, and every test a document cites as evidence exists
/// (docs/comparison.md and docs/architecture.md only claim what the tests back).
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string s_repository = Repository.Root;

    public static TheoryData<string> Documents => new(
        Directory.GetFiles(Path.Combine(s_repository, "docs"), "*.md").Append(Path.Combine(s_repository, "README.md"))
            .Select(path => Path.GetRelativePath(s_repository, path)));

    [Theory]
    [MemberData(nameof(Documents))]
    public void Relative_links_point_at_files_that_exist(string document)
    {
        string path = Path.Combine(s_repository, document);
        string directory = Path.GetDirectoryName(path)!;

        var broken = MarkdownLink().Matches(File.ReadAllText(path))
            .Select(m => m.Groups["target"].Value)
            .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith('#') && !target.StartsWith("mailto:", StringComparison.Ordinal))
            .Select(target => target.Split('#')[0])
            .Where(target => !File.Exists(Path.Combine(directory, target)) && !Directory.Exists(Path.Combine(directory, target)))
            .ToList();

        broken.Should().BeEmpty($"{document} links to files that do not exist");
    }

    [Theory]
    [InlineData("docs/comparison.md")]
    [InlineData("docs/architecture.md")]
    [InlineData("docs/operations.md")]
    public void Every_test_cited_as_evidence_exists(string document)
    {
        string tests = string.Join('\n', Directory
            .EnumerateFiles(Path.Combine(s_repository, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        var cited = CitedTest().Matches(File.ReadAllText(Path.Combine(s_repository, document)))
            .Select(m => m.Groups["name"].Value)
            .Distinct()
            .ToList();

        cited.Should().NotBeEmpty();
        cited.Where(name => !Regex.IsMatch(tests, $@"\b(class|Task|void) {Regex.Escape(name)}\b"))
            .Should().BeEmpty($"{document} cites these as tests, so they must exist under tests/");
    }

    // [text](target) — the target without a title.
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    // `Some_test_name` or `SomeClassTests` (optionally `Class.Method`) in backticks; not `ENV_VARIABLES`.
    [GeneratedRegex(@"`(?:[A-Z][A-Za-z0-9]*Tests\.)?(?<name>[A-Z][a-z0-9]*(?:_[A-Za-z0-9]+){2,}|[A-Z][A-Za-z0-9]*Tests)`")]
    private static partial Regex CitedTest();
}
