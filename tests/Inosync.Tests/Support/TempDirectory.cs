namespace Inosync.Tests.Support;

/// <summary>A fresh, empty directory under the system temp folder, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("inosync-test-").FullName;
    }

    /// <summary>Absolute path, no trailing separator.</summary>
    public string Path { get; }

    /// <summary>The absolute path of <paramref name="relative"/> ('/'-separated) inside this directory.</summary>
    public string Combine(string relative) => System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
