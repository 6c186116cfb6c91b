namespace Inosync.IntegrationTests.Support;

/// <summary>A fresh directory under the system temp folder, removed (best effort) on dispose.</summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory(string? prefix = null)
    {
        Path = Directory.CreateTempSubdirectory(prefix ?? "inosync-it-").FullName;
    }

    public string Path { get; }

    /// <summary>An absolute path inside this directory.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Creates the directory <paramref name="relative"/> (and parents) and returns its absolute path.</summary>
    public string CreateDirectory(string relative) => Directory.CreateDirectory(this[relative]).FullName;

    /// <summary>Writes a file (creating parent directories) and returns its absolute path.</summary>
    public string WriteFile(string relative, string content)
    {
        string path = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            MakeWritable(Path);
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception)
        {
            try
            {
                // .NET cannot name entries whose names are not valid UTF-8; the byte-path delete can.
                Inosync.Testing.RawFiles.RawFileSystem.DeleteTree(Path);
            }
            catch (Exception)
            {
                // Best effort: a leftover temp folder must not fail a test.
            }
        }
    }

    private static void MakeWritable(string root)
    {
        foreach (var dir in Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Append(root))
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
