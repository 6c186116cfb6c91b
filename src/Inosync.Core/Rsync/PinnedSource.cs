using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Inosync.Files;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Rsync;

/// <summary>
/// The watched directory itself, held open for the daemon's life, so that rsync reads exactly that directory and
/// never whatever the path wpath names later.
/// </summary>
/// <remarks>
/// The watches hold the directory's inode, but rsync is given a path. A user who owns a parent folder can move it
/// away and plant <c>wpath -&gt; /etc</c>: every batch would then read /etc. So wpath is opened once
/// (O_PATH|O_DIRECTORY|O_NOFOLLOW) and the descriptor is left inheritable on purpose: rsync gets
/// <c>/proc/self/fd/N/</c> as its source, which the kernel resolves to the open directory in rsync itself, wherever
/// the path points by then. Before each batch <see cref="StillNamedByPath"/> compares the path with the directory;
/// once they differ, <see cref="Lost"/> faults and the daemon stops (exit 71): nothing more is synced from a path
/// that no longer names the tree that was watched.
/// </remarks>
public sealed class PinnedSource : IDisposable
{
    private readonly SafeFileHandle _directory;
    private readonly UnixFileStatus _identity;
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PinnedSource(string watchPath, SafeFileHandle directory, UnixFileStatus identity)
    {
        WatchPath = watchPath;
        _directory = directory;
        _identity = identity;
        RsyncSource = string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{directory.DangerousGetHandle()}/");
    }

    public string WatchPath { get; }

    /// <summary>The source argument for rsync (and the path to list the tree by): the open directory, slash-terminated.</summary>
    public string RsyncSource { get; }

    /// <summary>Faults once wpath no longer names the directory that is watched.</summary>
    public Task Lost => _lost.Task;

    /// <summary>Opens <paramref name="watchPath"/>, which must be a directory and not a symbolic link.</summary>
    /// <exception cref="IOException">It cannot be opened so; the message says why.</exception>
    [SupportedOSPlatform("linux")]
    public static PinnedSource Open(string watchPath)
    {
        // Not O_CLOEXEC: rsync must inherit it (see the remarks).
        SafeFileHandle directory = Interop.Libc.Open(watchPath, Interop.Libc.O_PATH | Interop.Libc.O_DIRECTORY | Interop.Libc.O_NOFOLLOW, 0);
        if (directory.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            directory.Dispose();
            // O_DIRECTORY|O_NOFOLLOW on a link fails with ENOTDIR, not ELOOP.
            throw new IOException(errno switch
            {
                Interop.Errno.ELOOP or Interop.Errno.ENOTDIR when new FileInfo(watchPath).LinkTarget is not null =>
                    $"wpath '{watchPath}' is a symbolic link; give the directory it points to",
                Interop.Errno.ENOTDIR => $"wpath '{watchPath}' is not a directory",
                _ => $"cannot open wpath '{watchPath}': {Marshal.GetPInvokeErrorMessage(errno)}",
            });
        }

        return new PinnedSource(watchPath, directory, UnixFileStatus.Of(directory));
    }

    /// <summary>
    /// Whether wpath still names the watched directory (not a link, same device and inode); when it does not, says so
    /// once through <see cref="Lost"/>.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public bool StillNamedByPath()
    {
        if (UnixFileStatus.OfLink(WatchPath) is { IsDirectory: true } now && now.IsSameFileAs(_identity))
        {
            return true;
        }

        _lost.TrySetException(new IOException(
            $"wpath '{WatchPath}' no longer names the watched directory (it was moved, replaced or re-pointed): nothing more is synced from that path"));
        return false;
    }

    public void Dispose() => _directory.Dispose();
}
