using System.Buffers;
using System.Globalization;
using System.Text;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Filtering;

namespace Inosync.Rsync;

/// <summary>
/// One rsync invocation for one <see cref="SyncBatch"/> to one node: the arguments (for
/// <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>) and the bytes to pipe to its stdin.
/// </summary>
/// <remarks>
/// Three shapes (<see cref="RsyncShape"/>); the reasons and the history behind each rule are in docs/reliability.md.
/// <list type="bullet">
/// <item>Full sync: <c>rsync -a --delete --modify-window=-1 [--max-delete=N] --stats [--timeout] [extra] [--bwlimit]
///   [--password-file] [--filter=RULE…] SRC/ DST/</c>, the sync's filter rules in order. It compares mtimes to the
///   nanosecond, so a same-size rewrite in the same second as the node's copy is seen; <c>extra</c> comes later and
///   may set another window.</item>
/// <item>Include list (any batch): <c>rsync -a --delete --force --checksum --stats … --from0 --include-from=- [--filter=RULE…] SRC/ DST/</c>
///   with <see cref="IncludeFilter"/>'s rules on stdin: the listed entries, then excludes for everything else in the
///   directories rsync passes through, which also protects it from <c>--delete</c>. The sync's own rules come last
///   and decide below recursive directories and removed names, as in a full sync, so excluded files are neither
///   sent nor deleted; <c>--delete-excluded</c> in <c>extra</c> is dropped (it would wipe what the list leaves out).
///   rsync walks from the root with lstat, so it never reads through a symlink.</item>
/// <item>File list (names written below the root, nothing removed, no new directory, in a tree only inosync's user
///   can rename in, <see cref="FileListSafety"/>): <c>rsync -a --dirs --force --checksum --stats … --ignore-missing-args
///   --from0 --files-from=- SRC/ DST/</c> with <see cref="FilesFrom"/>'s paths on stdin. It stats only the listed
///   entries and deletes nothing; a name gone meanwhile is skipped (its removal follows in the include-list shape).</item>
/// </list>
/// Narrow batches compare mtimes to the nanosecond too (<c>--modify-window=-1</c>, shown above as <c>--checksum</c>),
/// unless <see cref="QuickCheckGuard"/> finds that two writes of the same size may share an mtime: then they use
/// <c>--checksum</c>, which unlike <c>--ignore-times</c> does not rewrite identical files. Names travel as their
/// exact bytes (<see cref="FileNameEncoding"/>), NUL-separated (<c>--from0</c>).
/// </remarks>
public sealed class RsyncCommand
{
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

    /// <summary>The rules ("+ PATTERN", "- PATTERN") piped to <c>--include-from=-</c>; empty unless <see cref="Shape"/> is <see cref="RsyncShape.IncludeList"/>.</summary>
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
    /// <param name="compareChecksums">For a narrow batch: <c>--checksum</c> rather than the quick check to the nanosecond
    /// (<see cref="QuickCheckGuard"/> says when the quick check can be trusted).</param>
    public static RsyncCommand Create(
        SyncBatch batch, SyncConfig sync, NodeConfig node, int? maxDelete = null, bool fileListSafe = false, string? source = null, bool compareChecksums = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(node);
        if (batch.IsEmpty)
        {
            throw new ArgumentException("An empty batch has nothing to sync.", nameof(batch));
        }

        var shape = batch.FullSync ? RsyncShape.FullSync
            : fileListSafe && FilesFrom.CanUse(batch, node) ? RsyncShape.FileList
            : RsyncShape.IncludeList;
        string comparison = shape != RsyncShape.FullSync && compareChecksums ? "--checksum" : "--modify-window=-1";
        var arguments = shape switch
        {
            RsyncShape.FullSync => new List<string> { "-a", "--delete", comparison },
            RsyncShape.FileList => ["-a", "--dirs", "--force", comparison],
            _ => ["-a", "--delete", "--force", comparison],
        };

        if (shape == RsyncShape.FullSync && maxDelete is { } limit)
        {
            arguments.Add("--max-delete=" + limit.ToString(CultureInfo.InvariantCulture));
        }

        // --stats is cheap and gives the files/bytes the worker logs.
        arguments.Add("--stats");
        AddNodeArguments(arguments, sync, node, narrow: !batch.FullSync);

        IReadOnlyList<string> list = [];
        if (shape == RsyncShape.IncludeList)
        {
            // The batch's rules first: the sync's rules follow and decide only where the batch's leave off.
            list = IncludeFilter.Build(batch.Jobs, sync.Filter);
            arguments.Add("--from0");
            arguments.Add("--include-from=-");
        }

        foreach (var rule in sync.Filter.Rules)
        {
            arguments.Add("--filter=" + rule.ToRsyncRule());
        }

        if (shape == RsyncShape.FileList)
        {
            list = FilesFrom.Build(batch.Jobs);
            arguments.Add("--ignore-missing-args");
            arguments.Add("--from0");
            arguments.Add("--files-from=-");
        }

        arguments.Add(source ?? WithTrailingSlash(sync.WatchPath));
        arguments.Add(WithTrailingSlash(node.Target));
        return new RsyncCommand(sync.RsyncPath, arguments, shape, list);
    }

    /// <summary>
    /// What <c>inosync verify</c> runs for one node: the full sync's command with <c>--dry-run</c>, so it changes
    /// nothing, printing one <c>%i %n</c> line per difference (rsync's itemized changes; "*deleting" for what only the
    /// node has). Same filter rules, same comparison (<paramref name="compareChecksums"/>: <c>--checksum</c> instead).
    /// </summary>
    public static RsyncCommand CreateVerify(SyncConfig sync, NodeConfig node, bool compareChecksums)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(node);
        var arguments = new List<string>
        {
            "-a", "--delete", compareChecksums ? "--checksum" : "--modify-window=-1", "--dry-run", "--out-format=%i %n",
        };
        AddNodeArguments(arguments, sync, node, narrow: false);
        foreach (var rule in sync.Filter.Rules)
        {
            arguments.Add("--filter=" + rule.ToRsyncRule());
        }

        arguments.Add(WithTrailingSlash(sync.WatchPath));
        arguments.Add(WithTrailingSlash(node.Target));
        return new RsyncCommand(sync.RsyncPath, arguments, RsyncShape.FullSync, []);
    }

    // The node's own arguments, in every shape: timeouts, extra, the bandwidth limit, the daemon's password file.
    private static void AddNodeArguments(List<string> arguments, SyncConfig sync, NodeConfig node, bool narrow)
    {
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
            // With the narrow shape everything outside the list is "excluded" by the list's own rules:
            // --delete-excluded would wipe the node.
            if (narrow && string.Equals(extra, "--delete-excluded", StringComparison.Ordinal))
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
                text.Append(' ').Append(ShellQuoting.Quote(pattern));
            }

            text.Append(" | ");
        }

        text.Append(ShellQuoting.Quote(FileName));
        foreach (var argument in Arguments)
        {
            text.Append(' ').Append(ShellQuoting.Quote(argument));
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
