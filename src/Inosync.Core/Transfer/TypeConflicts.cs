using System.Runtime.Versioning;
using Inosync.Files;
using Inosync.Watching.Inotify;

namespace Inosync.Transfer;

/// <summary>
/// Entries on the server that lftp's mirror cannot bring in line by itself: a file where the source now has a
/// directory (mirror fails to enter it), a directory where the source has a file, and symbolic links (an SFTP server
/// will not make a link over an existing one). They are removed before the mirror, which then makes them anew.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class TypeConflicts
{
    /// <summary>The topmost such entries below <paramref name="directory"/>, relative to it.</summary>
    /// <param name="sourceRoot">The watched tree's root path ('/'-terminated).</param>
    /// <param name="directory">The mirrored directory, relative to the root ("" = the root).</param>
    /// <param name="remote">The server's entries below the directory (relative to it, directories ending in '/').</param>
    public static List<string> Find(string sourceRoot, string directory, IEnumerable<string> remote)
    {
        return [.. RemoteListing.Topmost(remote, (relative, remoteDirectory) =>
                UnixFileStatus.OfLink(sourceRoot + WatchPaths.Join(directory, relative)) is { } local
                && (local.IsDirectory != remoteDirectory || local.Type == Interop.Libc.S_IFLNK))
            .Select(entry => entry.TrimEnd('/'))];
    }
}
