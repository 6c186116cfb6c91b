namespace Inosync.Testing;

/// <summary>The repository the tests were built from: samples, docs and projects are tested as shipped.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>An absolute path in the repository ('/'-separated <paramref name="relative"/>).</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "inosync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no inosync.sln above {AppContext.BaseDirectory}");
    }
}
