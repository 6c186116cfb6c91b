namespace Inosync.Watching.Inotify;

/// <summary>
/// A watch walk leaves about 250 bytes of garbage a directory (paths, listings). Gen0's budget follows the CPU cache
/// (tens of MB on a server), so the garbage of a big walk would pile up to it first: 22.3 instead of 18.0 MB peak RSS
/// on 20,000 directories (docs/benchmarks.md). A gen0 collection every 2,048 directories keeps little but the watch tree.
/// </summary>
internal static class WalkGarbage
{
    private const int DirectoriesPerCollection = 2048;

    /// <param name="walked">Directories watched so far by this walk.</param>
    public static void AfterDirectory(int walked)
    {
        if (walked % DirectoriesPerCollection == 0)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }
    }
}
