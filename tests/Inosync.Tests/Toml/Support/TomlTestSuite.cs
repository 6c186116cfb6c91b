namespace Inosync.Tests.Toml.Support;

/// <summary>
/// The toml-test 1.1 vectors kept in this repository (Toml/toml-test-1.1, see its README.md); each case is named by
/// its path without the extension, e.g. "valid/string/escapes". A missing or empty folder is an error, never a
/// reason to skip.
/// </summary>
internal static class TomlTestSuite
{
    private static readonly Lazy<string> s_directory = new(Locate);

    public static string Directory => s_directory.Value;

    public static IReadOnlyList<string> ValidNames => Names("valid");

    public static IReadOnlyList<string> InvalidNames => Names("invalid");

    public static byte[] ReadToml(string name) => File.ReadAllBytes(PathOf(name, ".toml"));

    public static string ReadJson(string name) => File.ReadAllText(PathOf(name, ".json"));

    /// <summary>The names upstream lists for TOML 1.1.0 (its file files-toml-1.1.0), without the extension.</summary>
    public static IReadOnlyList<string> ListedNames(string kind) =>
        File.ReadAllLines(Path.Combine(Directory, "files-toml-1.1.0"))
            .Where(line => line.StartsWith(kind + "/", StringComparison.Ordinal) && line.EndsWith(".toml", StringComparison.Ordinal))
            .Select(line => line[..^".toml".Length])
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string PathOf(string name, string extension) =>
        Path.Combine(Directory, name.Replace('/', Path.DirectorySeparatorChar) + extension);

    private static List<string> Names(string kind)
    {
        string folder = Path.Combine(Directory, kind);
        if (!System.IO.Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"the toml-test folder {Directory} has no '{kind}' folder");
        }

        var names = System.IO.Directory
            .EnumerateFiles(folder, "*.toml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Directory, file)[..^".toml".Length].Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException($"the toml-test folder {folder} holds no .toml files");
        }

        return names;
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "inosync.sln")))
            {
                string suite = Path.Combine(dir.FullName, "tests", "Inosync.Tests", "Toml", "toml-test-1.1");
                return System.IO.Directory.Exists(suite)
                    ? suite
                    : throw new DirectoryNotFoundException($"the toml-test vectors are missing: expected them at {suite}");
            }
        }

        throw new DirectoryNotFoundException($"cannot find inosync.sln above {AppContext.BaseDirectory} to locate the toml-test vectors");
    }
}
