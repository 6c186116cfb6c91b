using System.Buffers;
using System.Globalization;
using System.Text;
using Inosync.Coalescing;
using Inosync.Configuration;

namespace Inosync.Rsync;

/// <summary>
/// One rsync invocation for one <see cref="SyncBatch"/> to one node: the arguments (for
/// <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>) and the bytes to pipe to its stdin.
/// </summary>
/// <remarks>
/// Implementation notes — the narrow shape (lsyncd's, kept because the tests in RsyncCommandTests pass with it on
/// rsync 3.5.0 for every awkward name):
/// <code>rsync -a --delete --force --checksum --stats [extra] [--bwlimit] [--password-file] [--exclude=rexclude…]
///       --from0 --include-from=- --exclude=* SRC/ DST/</code>
/// (a full sync: <c>rsync -a --delete --modify-window=-1 --stats [extra] … [--exclude=rexclude…] SRC/ DST/</c>)
/// with a NUL-separated include list on stdin: every ancestor directory once (<c>/a/</c>, <c>/a/b/</c>), a changed
/// name as <c>/a/b/name</c>, a removed name also as <c>/a/b/name/***</c>, a recursive directory as
/// <c>/a/b/dir/***</c>. Why it is safe:
/// - Filter rules apply on the node too: whatever the final <c>--exclude=*</c> hides is protected from
///   <c>--delete</c>, so only listed entries can ever be deleted; a listed name missing on the source is deleted.
/// - <c>name/***</c> only matches directories (it means "name/" plus everything below), so a removed name is listed
///   both ways: the plain pattern deletes a file, the <c>/***</c> one deletes a directory tree whole.
///   A plain pattern alone leaves a non-empty directory behind ("cannot delete non-empty directory", exit 0).
/// - The user's excludes come first (first match wins), so excluded files are neither sent nor deleted.
/// - Escaping: rsync treats <c>\</c> as an escape only in patterns containing <c>*</c>, <c>?</c> or <c>[</c>; so a
///   pattern with a wildcard (always the <c>/***</c> ones) gets <c>*?[]\</c> escaped and any other pattern is
///   emitted literally (lsyncd skipped names with <c>]</c>, its #386, and lost deletes below a directory named
///   with <c>\</c>, its #516).
/// The alternative, <c>--files-from=- -r --delete-missing-args</c>, also deletes trees on rsync 3.5.0 (lsyncd
/// dropped it for rsync bug 12569, fixed since), but with <c>-r</c> every listed directory is recursed, so an
/// attribute change on a big directory would re-check its whole subtree; the filter shape transfers just the entry.
///
/// Same-second rewrites: rsync's quick check compares size and mtime, and two writes of the same size can share an
/// mtime (whole seconds by default; even with <c>--modify-window=-1</c> the kernel's coarse clock gives equal
/// nanosecond stamps to writes a few milliseconds apart). Narrow batches therefore use <c>--checksum</c>: only the
/// listed entries are in the file list, they were just written (page cache), and unlike <c>--ignore-times</c> it
/// does not rewrite identical files on the node. Full syncs keep the quick check (checksumming the whole tree on both
/// sides would be too costly) but compare nanoseconds (<c>--modify-window=-1</c>): a full sync is what runs after
/// events were lost (startup after a crash, a queue overflow, a directory that could not be watched), so it must see
/// a same-size rewrite made in the same second as the node's copy (the churn test lost content that way). Since
/// Linux 6.13 (multigrain timestamps) a write after rsync looked at a file always gets a new nanosecond stamp, so
/// nothing is missed; older kernels leave writes within one clock tick (1–10 ms) of each other. The user's
/// <c>extra</c> comes later on the command line and may set another window (a node on a filesystem with coarse
/// timestamps, which would otherwise make every full sync re-check every file).
///
/// The file-list shape, for the most common batch (files written in directories below the root, nothing removed,
/// no new directory) in a tree only inosync's own user can rename in (<see cref="FileListSafety"/>: the sender
/// follows the directories on the way, so elsewhere a swapped-in symlink would make it read outside the tree):
/// <code>rsync -a --dirs --force --checksum --stats [extra] … [--exclude=rexclude…] --ignore-missing-args
///       --from0 --files-from=- SRC/ DST/</code>
/// with the directories and the names on stdin (<c>./a/b</c>, <c>./a/b/name</c>: rsync reads a line that starts with
/// <c>#</c> or <c>;</c> as a comment, even with <c>--from0</c>, and a top-level directory named <c>;z</c> was
/// skipped until churn seed 791397 caught it; <c>./</c> is where the relative path starts). The filter shape makes rsync read
/// every directory on the way, on both sides (with <c>--delete</c> the receiver lists and stats each one), so one
/// new file in a directory of 100,000 costs 200,000 <c>lstat</c>s; a file list costs one per listed entry. Why it is
/// safe: nothing is deleted (no <c>--delete</c>; a listed directory is sent without its content, <c>--dirs</c>); a
/// listed name that is gone by the time rsync looks is skipped, and its removal, which the watcher reports next,
/// goes out in the filter shape. The implied directories (<c>a</c> of <c>a/b/name</c>) get their attributes as in
/// the filter shape; the root does not, so a batch with a job at the root keeps the filter shape. User arguments that
/// would change what a file list means (recursion, deletion, <c>--no-relative</c>…) keep the filter shape too.
/// </remarks>
public sealed class RsyncCommand
{
    private static readonly SearchValues<char> s_wildcards = SearchValues.Create("*?[");
    private static readonly SearchValues<char> s_escaped = SearchValues.Create("*?[]\\");
    private static readonly SearchValues<char> s_shortOptionLetters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static readonly SearchValues<char> s_shellSafe =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-");

    private readonly IReadOnlyList<string> _standardInputList;
    private readonly byte[] _standardInput;

    private RsyncCommand(string fileName, IReadOnlyList<string> arguments, RsyncShape shape, IReadOnlyList<string> standardInputList)
    {
        FileName = fileName;
        Arguments = arguments;
        Shape = shape;
        _standardInputList = standardInputList;
        _standardInput = EncodeList(standardInputList);
    }

    /// <summary>The rsync binary (a path, or a name looked up on PATH).</summary>
    public string FileName { get; }

    /// <summary>The arguments, one per element, never to be joined for a shell.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Which of the three command shapes this is.</summary>
    public RsyncShape Shape { get; }

    /// <summary>The include patterns piped to <c>--include-from=-</c>; empty unless <see cref="Shape"/> is <see cref="RsyncShape.IncludeList"/>.</summary>
    public IReadOnlyList<string> IncludePatterns => Shape == RsyncShape.IncludeList ? _standardInputList : [];

    /// <summary>The paths piped to <c>--files-from=-</c>, relative to the root; empty unless <see cref="Shape"/> is <see cref="RsyncShape.FileList"/>.</summary>
    public IReadOnlyList<string> FileList => Shape == RsyncShape.FileList ? _standardInputList : [];

    /// <summary>Whether this syncs the whole tree.</summary>
    public bool FullSync => Shape == RsyncShape.FullSync;

    /// <summary>The NUL-separated include patterns or paths for stdin (empty for a full sync): UTF-8, except that a name
    /// that is not valid UTF-8 gets its exact bytes back (<see cref="FileNameEncoding"/>).</summary>
    public ReadOnlyMemory<byte> StandardInput => _standardInput;

    /// <summary>Builds the command that makes <paramref name="node"/> equal the source for everything in <paramref name="batch"/>.</summary>
    /// <param name="maxDelete">For a full sync: delete at most this many entries (rsync --max-delete; 0 deletes none and
    /// only reports them), or null for no limit.</param>
    /// <param name="fileListSafe">Whether the batch may go out as a file list: only where nobody else can swap a
    /// directory on the way for a symlink (<see cref="FileListSafety"/>); otherwise the include list is used.</param>
    /// <param name="source">What rsync reads instead of wpath's path (<see cref="PinnedSource.RsyncSource"/>), slash-terminated.</param>
    public static RsyncCommand Create(
        SyncBatch batch, SyncConfig sync, NodeConfig node, int? maxDelete = null, bool fileListSafe = false, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(node);
        if (batch.IsEmpty)
        {
            throw new ArgumentException("An empty batch has nothing to sync.", nameof(batch));
        }

        var shape = batch.FullSync ? RsyncShape.FullSync
            : fileListSafe && CanUseFileList(batch, node) ? RsyncShape.FileList
            : RsyncShape.IncludeList;
        var arguments = shape switch
        {
            RsyncShape.FullSync => new List<string> { "-a", "--delete", "--modify-window=-1" },
            RsyncShape.FileList => ["-a", "--dirs", "--force", "--checksum"],
            _ => ["-a", "--delete", "--force", "--checksum"],
        };

        if (shape == RsyncShape.FullSync && maxDelete is { } limit)
        {
            arguments.Add("--max-delete=" + limit.ToString(CultureInfo.InvariantCulture));
        }

        // --stats is cheap and gives the files/bytes the worker logs.
        arguments.Add("--stats");
        if (sync.RsyncTimeout is { } timeout)
        {
            // Before extra: a later --timeout or --contimeout there wins (rsync takes the last one).
            string seconds = ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            arguments.Add("--timeout=" + seconds);
            if (node.Kind == NodeKind.RsyncDaemon)
            {
                arguments.Add("--contimeout=" + seconds);
            }
        }

        foreach (var extra in node.ExtraArgs)
        {
            // With the narrow shape everything outside the list is "excluded" by the final --exclude=*:
            // --delete-excluded would wipe the node.
            if (!batch.FullSync && string.Equals(extra, "--delete-excluded", StringComparison.Ordinal))
            {
                continue;
            }

            arguments.Add(extra);
        }

        if (node.SpeedLimitKBps > 0)
        {
            arguments.Add("--bwlimit=" + node.SpeedLimitKBps.ToString(CultureInfo.InvariantCulture));
        }

        if (node.Kind == NodeKind.RsyncDaemon && !string.IsNullOrEmpty(node.PasswordFile))
        {
            arguments.Add("--password-file=" + node.PasswordFile);
        }

        foreach (var exclude in sync.Excludes)
        {
            arguments.Add("--exclude=" + exclude);
        }

        IReadOnlyList<string> list = [];
        if (shape == RsyncShape.IncludeList)
        {
            list = BuildIncludePatterns(batch.Jobs);
            arguments.Add("--from0");
            arguments.Add("--include-from=-");
            arguments.Add("--exclude=*");
        }
        else if (shape == RsyncShape.FileList)
        {
            list = BuildFileList(batch.Jobs);
            arguments.Add("--ignore-missing-args");
            arguments.Add("--from0");
            arguments.Add("--files-from=-");
        }

        arguments.Add(source ?? WithTrailingSlash(sync.WatchPath));
        arguments.Add(WithTrailingSlash(node.Target));
        return new RsyncCommand(sync.RsyncPath, arguments, shape, list);
    }

    /// <summary>
    /// Whether <paramref name="batch"/> can go out as a file list: only names written or changed (nothing removed, no
    /// whole directory), none at the root, and no user argument that changes what a file list means.
    /// </summary>
    private static bool CanUseFileList(SyncBatch batch, NodeConfig node)
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

    private static List<string> BuildFileList(IReadOnlyList<DirectoryJob> jobs)
    {
        var paths = new List<string>();
        foreach (var job in jobs)
        {
            ValidateDirectory(job.Directory);

            // The directory itself, for its attributes (a new name changed its mtime); --dirs sends it without content.
            // "./" first: rsync skips a files-from line that starts with '#' or ';' as a comment.
            var directory = "./" + job.Directory;
            paths.Add(directory);
            foreach (var (name, change) in job.Names.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                ValidateName(name);
                if (change != NameChange.None)
                {
                    paths.Add(directory + "/" + name);
                }
            }
        }

        return paths;
    }

    /// <summary>
    /// The command as one POSIX shell line that can be pasted to reproduce the run, stdin included
    /// (<c>printf '%s\0' … | rsync …</c>).
    /// </summary>
    public string ToShellString()
    {
        var text = new StringBuilder();
        if (Shape != RsyncShape.FullSync)
        {
            // With no patterns (only the root's own attributes changed) printf '%s\0' would still print one NUL.
            text.Append(_standardInputList.Count == 0 ? "printf ''" : @"printf '%s\0'");
            foreach (var pattern in _standardInputList)
            {
                text.Append(' ').Append(QuoteForShell(pattern));
            }

            text.Append(" | ");
        }

        text.Append(QuoteForShell(FileName));
        foreach (var argument in Arguments)
        {
            text.Append(' ').Append(QuoteForShell(argument));
        }

        return text.ToString();
    }

    /// <summary>The include patterns or paths for reading in a log: one per element, control characters shown as \n, \t, \xNN.</summary>
    public IReadOnlyList<string> DescribeStandardInput()
    {
        var lines = new string[_standardInputList.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = FileNameEncoding.ForDisplay(_standardInputList[i]);
        }

        return lines;
    }

    /// <summary>
    /// Quotes <paramref name="value"/> for a POSIX shell: bare when it is plainly safe, else in single quotes. A byte of
    /// a name that is not valid UTF-8 cannot be written in the (UTF-8) log, so it becomes <c>"$(printf '\351')"</c>
    /// between the quoted parts: pasted into a shell, the word has the exact bytes again.
    /// </summary>
    internal static string QuoteForShell(string value)
    {
        if (value.Length > 0 && !value.AsSpan().ContainsAnyExcept(s_shellSafe))
        {
            return value;
        }

        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (FileNameEncoding.IsEscapedByte(c))
            {
                quoted.Append(CultureInfo.InvariantCulture, $"'\"$(printf '\\{Convert.ToString(FileNameEncoding.EscapedByte(c), 8)}')\"'");
            }
            else if (c == '\'')
            {
                quoted.Append(@"'\''");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('\'').ToString();
    }

    /// <summary>The rsync filter pattern that matches exactly <paramref name="path"/> (absolute from the transfer root) + <paramref name="suffix"/>.</summary>
    internal static string ToPattern(string path, string suffix)
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

    private static List<string> BuildIncludePatterns(IReadOnlyList<DirectoryJob> jobs)
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
            ValidateDirectory(job.Directory);

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
                ValidateName(name);
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

    private static void ValidateDirectory(string directory)
    {
        if (directory.StartsWith('/') || directory.EndsWith('/') || directory.Contains("//", StringComparison.Ordinal)
            || directory.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not a relative directory: \"{directory}\".", nameof(directory));
        }
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal)
            || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not a file name: \"{name}\".", nameof(name));
        }
    }

    private static byte[] EncodeList(IReadOnlyList<string> patterns)
    {
        // rsync matches names byte for byte: each pattern goes out as the exact bytes of the names it contains.
        var bytes = new List<byte>();
        foreach (var pattern in patterns)
        {
            bytes.AddRange(FileNameEncoding.GetBytes(pattern));
            bytes.Add(0); // --from0
        }

        return [.. bytes];
    }

    /// <summary>The last two arguments of every rsync for this node: the source and the destination, slash-terminated.</summary>
    internal static (string Source, string Destination) Endpoints(SyncConfig sync, NodeConfig node) =>
        (WithTrailingSlash(sync.WatchPath), WithTrailingSlash(node.Target));

    private static string WithTrailingSlash(string path) => path.EndsWith('/') ? path : path + "/";
}

/// <summary>The three shapes of <see cref="RsyncCommand"/> (see its remarks).</summary>
public enum RsyncShape
{
    /// <summary>The whole tree, with <c>--delete</c>.</summary>
    FullSync,

    /// <summary>Listed entries through include filters, with <c>--delete</c>: anything a batch can hold.</summary>
    IncludeList,

    /// <summary>Listed paths through <c>--files-from</c>, nothing deleted: names written or changed below the root.</summary>
    FileList,
}
