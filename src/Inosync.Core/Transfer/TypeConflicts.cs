using System.Runtime.Versioning;
using Inosync.Files;

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
        var conflicts = new List<string>();
        foreach (string entry in remote)
        {
            bool remoteDirectory = entry.EndsWith('/');
            string relative = remoteDirectory ? entry[..^1] : entry;
            if (relative.Length == 0 || conflicts.Exists(c => relative.StartsWith(c + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            string path = directory.Length == 0 ? relative : directory + "/" + relative;
            if (UnixFileStatus.OfLink(sourceRoot + path) is { } local
                && (local.IsDirectory != remoteDirectory || local.Type == Interop.Libc.S_IFLNK))
            {
                conflicts.Add(relative);
            }
        }

        return conflicts;
    }
}
