using System.Buffers;
using System.Text;
using Inosync.Coalescing;

namespace Inosync.Rsync;

/// <summary>
/// The include-list shape (<see cref="RsyncShape.IncludeList"/>): the patterns piped to <c>--include-from=-</c>, ahead of
/// a final <c>--exclude=*</c>. The rules:
/// - every ancestor directory once (<c>/a/</c>, <c>/a/b/</c>): rsync descends only into included directories;
/// - a changed name as <c>/a/b/name</c>; a removed name also as <c>/a/b/name/***</c> (which matches only a directory
///   and all below it), so that a file and a whole directory tree are both deleted;
/// - a recursive directory as <c>/a/b/dir/***</c>;
/// - rsync treats <c>\</c> as an escape only in a pattern with <c>*</c>, <c>?</c> or <c>[</c>: such a pattern gets
///   <c>*?[]\</c> escaped, any other is literal.
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

    public static List<string> Build(IReadOnlyList<DirectoryJob> jobs)
    {
        var patterns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(string pattern)
        {
            if (seen.Add(pattern))
            {
                patterns.Add(pattern);
            }
        }

        foreach (var job in jobs)
        {
            ListedPaths.ValidateDirectory(job.Directory);

            // Ancestors, each once: rsync only descends into directories that are included. For a named job the
            // directory itself is one of them; a recursive job's /*** covers its own directory.
            var end = 0;
            while (end < job.Directory.Length)
            {
                var slash = job.Directory.IndexOf('/', end);
                end = slash < 0 ? job.Directory.Length : slash;
                if (end < job.Directory.Length || !job.Recursive)
                {
                    Add(ToPattern("/" + job.Directory[..end], "/"));
                }

                end++;
            }

            if (job.Recursive)
            {
                Add(job.Directory.Length == 0 ? "/***" : ToPattern("/" + job.Directory, "/***"));
                continue;
            }

            var prefix = job.Directory.Length == 0 ? "/" : "/" + job.Directory + "/";
            foreach (var (name, change) in job.Names.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                ListedPaths.ValidateName(name);
                if (change == NameChange.None)
                {
                    continue;
                }

                Add(ToPattern(prefix + name, ""));
                if (change.HasFlag(NameChange.Removed))
                {
                    Add(ToPattern(prefix + name, "/***"));
                }
            }
        }

        return patterns;
    }
}
