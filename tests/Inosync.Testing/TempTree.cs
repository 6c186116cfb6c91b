namespace Inosync.Testing;

/// <summary>
/// A fresh directory under the system temp folder for one test, deleted (best effort) on dispose — even when the
/// test made parts of it unreadable or read-only. Relative paths are '/'-separated.
/// </summary>
public sealed class TempTree : IDisposable
{
    /// <param name="prefix">Start of the directory's name, so a leftover says which tests made it.</param>
    public TempTree(string prefix = "inosync-test-")
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>Absolute path, no trailing slash.</summary>
    public string Root { get; }

    /// <summary>The absolute path of <paramref name="relative"/>; <see cref="Root"/> for "".</summary>
    public string PathOf(string relative) => relative.Length == 0 ? Root : Root + "/" + relative;

    /// <summary>Writes a text file (creating parent directories) and returns its absolute path.</summary>
    public string WriteFile(string relative, string content)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes a file (creating parent directories) and returns its absolute path.</summary>
    public string WriteFile(string relative, byte[] content)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Creates the directory <paramref name="relative"/> (and its parents) and returns its absolute path.</summary>
    public string CreateDirectory(string relative) => Directory.CreateDirectory(PathOf(relative)).FullName;

    /// <summary>Deletes a file, a symlink (never what it points to) or a whole directory.</summary>
    public void Delete(string relative)
    {
        string path = PathOf(relative);
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    /// <summary>True when there is an entry at <paramref name="relative"/>; a dangling symlink counts (links are not followed).</summary>
    public bool Exists(string relative) => Path.Exists(PathOf(relative)) || new FileInfo(PathOf(relative)).LinkTarget is not null;

    public void Dispose()
    {
        try
        {
            MakeWritable(new DirectoryInfo(Root));
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception)
        {
            try
            {
                // .NET cannot name entries whose names are not valid UTF-8; the byte-path delete can.
                RawFiles.RawFileSystem.DeleteTree(Root);
            }
            catch (Exception)
            {
                // Best effort: a leftover temp directory must not fail a test.
            }
        }
    }

    // Recursive delete needs rwx on every directory; symlinks are skipped so nothing outside the tree is touched.
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
