using System.Runtime.Versioning;

namespace Inosync.Tests.Support;

/// <summary>A temporary directory tree for one test, deleted on dispose (even if a test made parts unreadable).</summary>
public sealed class TempTree : IDisposable
{
    public TempTree(string? prefix = null)
    {
        Root = Directory.CreateTempSubdirectory(prefix ?? "inosync-test-").FullName;
    }

    /// <summary>Absolute path, no trailing slash.</summary>
    public string Root { get; }

    /// <summary>The absolute path of <paramref name="relative"/> ('/'-separated).</summary>
    public string PathOf(string relative) => relative.Length == 0 ? Root : Root + "/" + relative;

    public string WriteFile(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteFile(string relative, byte[] content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string CreateDirectory(string relative) => Directory.CreateDirectory(PathOf(relative)).FullName;

    public void Delete(string relative)
    {
        var path = PathOf(relative);
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    public bool Exists(string relative) => Path.Exists(PathOf(relative)) || new FileInfo(PathOf(relative)).LinkTarget is not null;

    public void Dispose()
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                MakeWritable(new DirectoryInfo(Root));
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (Exception)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void MakeWritable(DirectoryInfo directory)
    {
        directory.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo sub)
            {
                MakeWritable(sub);
            }
            else
            {
                entry.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
        }
    }
}
