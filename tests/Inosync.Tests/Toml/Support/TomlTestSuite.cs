namespace Inosync.Tests.Toml.Support;

/// <summary>
/// Finds the toml-test vectors (see ../shared/toml-test/README.md) and names each case by its path without the
/// extension, e.g. "valid/string/escapes". A missing or empty folder is an error, never a reason to skip.
/// </summary>
internal static class TomlTestSuite
{
    public const string DirectoryVariable = "INOSYNC_TOML_TEST_DIR";

    private static readonly Lazy<string> s_directory = new(Locate);

    public static string Directory => s_directory.Value;

    public static IReadOnlyList<string> ValidNames => Names("valid");

    public static IReadOnlyList<string> InvalidNames => Names("invalid");

    public static byte[] ReadToml(string name) => File.ReadAllBytes(PathOf(name, ".toml"));

    public static string ReadJson(string name) => File.ReadAllText(PathOf(name, ".json"));

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
        string? overridden = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return System.IO.Directory.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new DirectoryNotFoundException($"{DirectoryVariable} points at {overridden}, which does not exist");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "inosync.sln")))
            {
                string suite = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "toml-test"));
                return System.IO.Directory.Exists(suite)
                    ? suite
                    : throw new DirectoryNotFoundException($"the toml-test vectors are missing: expected them at {suite} (or set {DirectoryVariable})");
            }
        }

        throw new DirectoryNotFoundException(
            $"cannot find inosync.sln above {AppContext.BaseDirectory} to locate ../shared/toml-test (or set {DirectoryVariable})");
    }
}
