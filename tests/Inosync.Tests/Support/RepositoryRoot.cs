namespace Inosync.Tests.Support;

/// <summary>The checkout the tests run from: the directory above the test binaries that holds inosync.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "inosync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no inosync.sln above {AppContext.BaseDirectory}");
    }
}
