using System.Globalization;
using System.Text.RegularExpressions;

namespace Inosync.Transfer;

/// <summary>
/// Reads what lftp's <c>find "DIR"</c> printed: one path per line, "DIR/…", directories with a trailing '/'; and, for
/// <see cref="Sizes"/>, what <c>find -l "DIR"</c> printed: "-rw-r--r--  user/group  SIZE YYYY-MM-DD HH:MM:SS DIR/…".
/// </summary>
internal static partial class RemoteListing
{
    /// <summary>
    /// The entries <paramref name="pick"/> (relative path, is a directory) picks, leaving out those below a directory
    /// already picked: what is done to a directory is done to all it holds. Entries as <see cref="Below"/> gives them
    /// (directories ending in '/', each before what it holds).
    /// </summary>
    public static List<string> Topmost(IEnumerable<string> entries, Func<string, bool, bool> pick)
    {
        var picked = new List<string>();
        foreach (string entry in entries)
        {
            bool isDirectory = entry.EndsWith('/');
            string relative = isDirectory ? entry[..^1] : entry;
            if (relative.Length > 0
                && !picked.Exists(p => p.EndsWith('/') && entry.StartsWith(p, StringComparison.Ordinal))
                && pick(relative, isDirectory))
            {
                picked.Add(entry);
            }
        }

        return picked;
    }

    /// <summary>The entries below <paramref name="directory"/>, relative to it (directories ending in '/'); lines that do not
    /// start with it (another directory's, or a name with a line break cut in two) are skipped.</summary>
    public static List<string> Below(string output, string directory)
    {
        string prefix = directory.EndsWith('/') ? directory : directory + "/";
        var entries = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            if (line.Length > prefix.Length && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                entries.Add(line[prefix.Length..]);
            }
        }

        return entries;
    }

    /// <summary>
    /// The sizes of the regular files below <paramref name="directory"/> (relative to it) in <c>find -l</c>'s lines;
    /// other lines, <see cref="Below"/>'s among them, are skipped. A regular file's line ends with its path (only a
    /// link's has " -> target" after it).
    /// </summary>
    public static Dictionary<string, long> Sizes(string output, string directory)
    {
        string prefix = directory.EndsWith('/') ? directory : directory + "/";
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            Match match = LongFileLine().Match(line);
            string path = match.Groups["path"].Value;
            if (match.Success && path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(match.Groups["size"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            {
                sizes[path[prefix.Length..]] = size;
            }
        }

        return sizes;
    }

    // The first " SIZE DATE ./" after the owner: the path itself may hold anything, the owner (16 characters at most) not that.
    [GeneratedRegex(@"^-\S{9}  .*? (?<size>\d+) (?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|-) (?<path>\./.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex LongFileLine();
}
