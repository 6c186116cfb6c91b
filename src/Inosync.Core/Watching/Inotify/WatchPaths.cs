namespace Inosync.Watching.Inotify;

/// <summary>
/// Paths below the watched root: relative ones joined and split as the watcher reports them, and full ones written as
/// exact bytes (<see cref="FileNameEncoding"/>) for opendir and inotify_add_watch, into a buffer the caller provides
/// (20,000 directories made megabytes of garbage at start-up when each became a string and a byte array twice).
/// </summary>
internal sealed class WatchPaths(string root)
{
    /// <summary>A full path of up to this many bytes fits on the stack (PATH_MAX is 4096); a longer one goes on the heap.</summary>
    public const int StackBytes = 1024;

    private readonly byte[] _rootBytes = FileNameEncoding.GetBytes(root);

    /// <summary>Bytes <see cref="WriteFull"/> may need for <paramref name="path"/>.</summary>
    public int Capacity(string path) => _rootBytes.Length + 2 + (3 * path.Length);

    /// <summary>Writes root + "/" + <paramref name="path"/> and a NUL into <paramref name="destination"/> (at least
    /// <see cref="Capacity"/> bytes).</summary>
    public void WriteFull(string path, Span<byte> destination)
    {
        _rootBytes.CopyTo(destination);
        int length = _rootBytes.Length;
        if (path.Length > 0)
        {
            destination[length++] = (byte)'/';
            length += FileNameEncoding.GetBytes(path, destination[length..]);
        }

        destination[length] = 0;
    }

    /// <summary>The subdirectories of <paramref name="path"/> (<see cref="DirectoryListing"/>).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public List<string> ChildDirectories(string path)
    {
        int capacity = Capacity(path);
        Span<byte> fullPath = capacity <= StackBytes ? stackalloc byte[StackBytes] : new byte[capacity];
        WriteFull(path, fullPath);
        return DirectoryListing.ChildDirectories(fullPath);
    }

    public static string Join(string parent, string name) =>
        parent.Length == 0 ? name : name.Length == 0 ? parent : string.Concat(parent, "/", name);

    public static string NameOf(string path) => path[(path.LastIndexOf('/') + 1)..];
}
