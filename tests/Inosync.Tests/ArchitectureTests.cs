using Inosync.Configuration;
using Inosync.Testing;

namespace Inosync.Tests;

/// <summary>Where code may live: rules of the layout that a reader relies on.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_daemons_core_carries_no_converter_code()
    {
        var core = typeof(SyncConfig).Assembly;

        core.GetTypes().Should().NotContain(t => t.Namespace != null && t.Namespace.StartsWith("Inosync.Migration", StringComparison.Ordinal),
            "the Python config reader serves only `inosync convert` and lives in Inosync.Migration");
        core.GetReferencedAssemblies().Should().NotContain(a => a.Name == "Inosync.Migration");
    }

    [Fact]
    public void No_source_file_is_longer_than_400_lines()
    {
        var tooLong = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Repository.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 400);

        tooLong.Should().BeEmpty("a file that long does more than one job: split it along its seams");
    }

    [Fact]
    public void The_product_has_no_switch_that_exists_only_for_tests()
    {
        var hooks = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text
                && (text.Contains("INOSYNC_TEST", StringComparison.Ordinal) || text.Contains("ForTesting", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(Repository.Root, f));

        hooks.Should().BeEmpty("tests drive the real product through its seams (internal constructors), not through switches in it");
    }
}
