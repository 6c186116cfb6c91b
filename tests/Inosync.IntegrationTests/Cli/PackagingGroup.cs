namespace Inosync.IntegrationTests.Cli;

/// <summary>
/// The tests that run dotnet pack and dotnet publish on src/: one at a time, since a publish for a RuntimeIdentifier
/// restores the projects again and rewrites the files a concurrent pack reads.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingGroup
{
    public const string Name = "Packaging";
}
