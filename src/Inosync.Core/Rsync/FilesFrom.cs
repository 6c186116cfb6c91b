using System.Buffers;
using Inosync.Coalescing;
using Inosync.Configuration;

namespace Inosync.Rsync;

/// <summary>
/// The file-list shape (<see cref="RsyncShape.FileList"/>): when a batch may use it, and the paths it pipes to
/// <c>--files-from=-</c>. Each path starts with <c>./</c>: rsync reads a line that starts with <c>#</c> or <c>;</c> as
/// a comment, even with <c>--from0</c>.
/// </summary>
internal static class FilesFrom
{
    private static readonly SearchValues<char> s_shortOptionLetters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>
    /// Whether <paramref name="batch"/> can go out as a file list: only names written or changed (nothing removed, no
    /// whole directory), none at the root, and no user argument that changes what a file list means.
    /// </summary>
    public static bool CanUse(SyncBatch batch, NodeConfig node)
    {
        foreach (var job in batch.Jobs)
        {
            if (job.Recursive || job.Directory.Length == 0 || job.Names.Count == 0)
            {
                return false;
            }

            foreach (var change in job.Names.Values)
            {
                if ((change & NameChange.Removed) != 0)
                {
                    return false;
                }
            }
        }

        foreach (var extra in node.ExtraArgs)
        {
            if (ChangesFileListMeaning(extra))
            {
                return false;
            }
        }

        return batch.Moves.Count == 0;
    }

    /// <summary>Recursion would sync listed directories whole, deletion would act on them, and no relative paths or
    /// implied directories would put the files in the wrong place.</summary>
    private static bool ChangesFileListMeaning(string argument)
    {
        if (argument.StartsWith("--", StringComparison.Ordinal))
        {
            return argument is "--recursive" or "--no-relative" or "--no-R" or "--no-implied-dirs"
                || (argument.StartsWith("--del", StringComparison.Ordinal) && argument != "--delete-excluded") // that one is dropped
                || argument.StartsWith("--files-from", StringComparison.Ordinal)
                || argument.StartsWith("--include-from", StringComparison.Ordinal);
        }

        // A cluster of short options such as -r or -rltz (rsync would read -a here as not implying -r).
        return argument.Length > 1 && argument[0] == '-' && argument.AsSpan(1).Contains('r')
            && !argument.AsSpan(1).ContainsAnyExcept(s_shortOptionLetters);
    }

    public static List<string> Build(IReadOnlyList<DirectoryJob> jobs)
    {
        var paths = new List<string>();
        foreach (var job in jobs)
        {
            ListedPaths.ValidateDirectory(job.Directory);

            // The directory itself, for its attributes (a new name changed its mtime); --dirs sends it without content.
            // "./" first: rsync skips a files-from line that starts with '#' or ';' as a comment.
            var directory = "./" + job.Directory;
            paths.Add(directory);
            foreach (var (name, change) in job.Names.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                ListedPaths.ValidateName(name);
                if (change != NameChange.None)
                {
                    paths.Add(directory + "/" + name);
                }
            }
        }

        return paths;
    }
}
