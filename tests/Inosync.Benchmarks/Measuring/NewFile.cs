using Microsoft.Win32.SafeHandles;

namespace Inosync.Benchmarks.Measuring;

/// <summary>Writes a new file the way cp or an editor's first save does: open(O_CREAT|O_EXCL), one write, close —
/// so a tool sees IN_CREATE, then IN_MODIFY and IN_CLOSE_WRITE.</summary>
internal static class NewFile
{
    /// <summary>Writes <paramref name="bytes"/> to a file that must not exist yet; returns its mtime (UTC ticks).</summary>
    public static long Write(string path, ReadOnlySpan<byte> bytes)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        RandomAccess.Write(handle, bytes, 0);
        return File.GetLastWriteTimeUtc(handle).Ticks;
    }
}
