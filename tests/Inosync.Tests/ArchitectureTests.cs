using Inosync.Configuration;

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
}
