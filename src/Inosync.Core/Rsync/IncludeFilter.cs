using System.Buffers;
using System.Text;
using Inosync.Coalescing;
using Inosync.Filtering;

namespace Inosync.Rsync;

/// <summary>
/// The include-list shape (<see cref="RsyncShape.IncludeList"/>): the rules piped to <c>--include-from=-</c>, ahead of
/// the sync's own filter rules. First every include, then the excludes that keep rsync narrow:
/// - every ancestor directory once (<c>+ /a/</c>, <c>+ /a/b/</c>): rsync descends only into included directories;
/// - a changed name as <c>+ /a/b/name</c>; a recursive directory as <c>+ /a/b/dir/</c>;
/// - then, for each directory rsync passes through (the root, the ancestors, a named job's directory) and each changed
///   name that was not removed, <c>- /a/b/*</c>: everything else in it is neither sent nor deleted.
/// Below a recursive directory, and below a removed name (rsync must delete all of it, or send the directory that
/// took its place), no such exclude applies: the sync's rules that follow decide there, exactly as in a full sync,
/// so an excluded file stays protected. The listed names passed the same rules in the watcher and the coalescer;
/// they are checked again here, so that no batch can list what the rules exclude.
/// rsync treats <c>\</c> as an escape only in a pattern with <c>*</c>, <c>?</c> or <c>[</c>: such a pattern gets
/// <c>*?[]\</c> escaped, any other is literal.
/// </summary>
internal static class IncludeFilter
{
    private static readonly SearchValues<char> s_wildcards = SearchValues.Create("*?[");
    private static readonly SearchValues<char> s_escaped = SearchValues.Create("*?[]\\");

    /// <summary>The rsync filter pattern that matches exactly <paramref name="path"/> (absolute from the transfer root) + <paramref name="suffix"/>.</summary>
    public static string ToPattern(string path, string suffix)
    {
        var wild = suffix.AsSpan().ContainsAny(s_wildcards) || path.AsSpan().ContainsAny(s_wildcards);
        if (!wild)
        {
            return path + suffix;
        }

        var escaped = new StringBuilder(path.Length + suffix.Length + 8);
        foreach (var c in path)
        {
            if (s_escaped.Contains(c))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.Append(suffix).ToString();
    }

    /// <param name="jobs">The batch's jobs.</param>
    /// <param name="filter">The sync's rules: an entry they exclude is never listed, whatever the batch says.</param>
    public static List<string> Build(IReadOnlyList<DirectoryJob> jobs, PathFilter filter)
    {
        var includes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var narrow = new List<string>();
        var narrowSeen = new HashSet<string>(StringComparer.Ordinal);
        var recursive = new List<string>();

        void Rule(string rule)
        {
            if (seen.Add(rule))
            {
                includes.Add(rule);
            }
        }

        void Narrow(string directory)
        {
            if (narrowSeen.Add(directory))
            {
                narrow.Add(directory);
            }
        }

        foreach (var job in jobs)
        {
            ListedPaths.ValidateDirectory(job.Directory);
            if (filter.IsExcluded(job.Directory, isDirectory: true))
            {
                continue;
            }

            // The root and every ancestor; for a named job the directory itself is one of them.
            Narrow("");
            var end = 0;
            while (end < job.Directory.Length)
            {
                var slash = job.Directory.IndexOf('/', end);
                end = slash < 0 ? job.Directory.Length : slash;
                Rule("+ " + ToPattern("/" + job.Directory[..end], "/"));
                if (end < job.Directory.Length || !job.Recursive)
                {
                    Narrow(job.Directory[..end]);
                }

                end++;
            }

            if (job.Recursive)
            {
                recursive.Add(job.Directory);
                continue;
            }

            var prefix = job.Directory.Length == 0 ? "" : job.Directory + "/";
            foreach (var (name, change) in job.Names.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                ListedPaths.ValidateName(name);
                if (change == NameChange.None)
                {
                    continue;
                }

                // The batch does not know whether the name is a directory; rsync does: a rule that excludes one
                // type only goes first, restricted to that type.
                var path = prefix + name;
                var asFile = filter.IsExcluded(path, isDirectory: false);
                var asDirectory = filter.IsExcluded(path, isDirectory: true);
                if (asFile && asDirectory)
                {
                    continue;
                }

                if (asDirectory)
                {
                    Rule("- " + ToPattern("/" + path, "/"));
                }
                else if (asFile)
                {
                    Rule("+ " + ToPattern("/" + path, "/"));
                    Rule("- " + ToPattern("/" + path, ""));
                }

                Rule("+ " + ToPattern("/" + path, ""));
                if (!change.HasFlag(NameChange.Removed))
                {
                    Narrow(path);
                }
            }
        }

        foreach (var directory in narrow)
        {
            if (!recursive.Any(r => Contains(r, directory)))
            {
                includes.Add("- " + (directory.Length == 0 ? "/*" : ToPattern("/" + directory, "/*")));
            }
        }

        return includes;
    }

    // Whether path is directory or lies below it ("" is the root, which holds everything).
    private static bool Contains(string directory, string path) =>
        directory.Length == 0
        || (path.StartsWith(directory, StringComparison.Ordinal) && (path.Length == directory.Length || path[directory.Length] == '/'));
}
