using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Files;
using Inosync.Filtering;
using Inosync.Watching.Inotify;

namespace Inosync.Transfer;

/// <summary>
/// The lftp commands that carry one batch, after the login and <c>cd</c> to rpath (<see cref="LftpScript"/>). Paths on
/// the server are relative to rpath and start with "./" (a name may start with '-'); paths on this machine start with
/// the pinned source root.
/// </summary>
/// <remarks>
/// Implementation notes:
/// - Moves first (in the listing's script when the batch lists the server), as renames on the server, each allowed to fail (its target's directory may be new, its source
///   already gone): whatever is not renamed is transferred by what follows, as for rsync nodes.
/// - A name job looks at each name on the source (lstat, no link followed): missing → <c>rm -r -f</c> (the server's
///   entry is removed, a link on it as a link; only a file or link when the rules exclude a directory of that name); a directory → <c>mkdir</c> (its content comes with its own jobs; a
///   directory created here always brings a recursive job); a file or a symbolic link → one
///   <c>mirror -R -r --transfer-all -i "^(names)$"</c> for the directory's names (mirror sets the mtime, makes links as
///   links where the protocol can, and never follows one). --transfer-all: a name job exists because the name changed,
///   and a rewrite of the same size within the server's one-second mtime must still go. FIFOs, sockets and devices
///   are not carried (no protocol here can).
/// - A recursive job and a full sync are one <c>mirror -R -e</c> of the directory, told the topmost excluded paths
///   (<see cref="ExcludedPaths"/>); it compares sizes and mtimes. Entries it cannot replace are removed first
///   (<see cref="TypeConflicts"/>), and recently modified files go again by exact path (<see cref="LftpBatch"/>).
/// - Names the filter excludes are left alone on both sides, as rsync leaves them; so are names with a line break,
///   which a command line cannot carry, on FTP names with a control character or a leading or trailing space, and
///   names the server refused before (553, e.g. pure-ftpd's "Prohibited file name" for a backslash), wherever they
///   are: all reported as unsendable.
/// - SFTP: every mirror that sends has --ignore-size, the one way to keep mirror from telling lftp the size it
///   listed: lftp 4.9.2 (Debian 12) writes no byte past that size and, for a file that grew since, then waits with
///   nothing moving until net:timeout cuts the connection (lavv17/lftp#647). So SFTP mirrors compare mtimes alone:
///   files whose size on the server differs (LftpBatch compares them from a long listing), and changes within the
///   second of the server's copy, go again by path; verify's dry run still compares sizes.
/// - FTP: no symbolic links (mirror would fail on SITE SYMLINK; they are left out, never followed) and no modes
///   (--no-perms: many servers lack SITE CHMOD, and a failed chmod would fail the batch); the server's umask decides.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class LftpCommands(string sourceRoot, PathFilter filter, bool ftp, IReadOnlySet<string> refusedNames)
{
    private const string Tolerated = " || echo -n";

    // FTP servers trim or replace what the protocol's lines cannot hold well (pure-ftpd: a control character or a
    // leading or trailing space becomes '_'): such names are not sent, lest the server hold a different one.
    private const string FtpUnsafeNames = "(^|/)([^/]*[[:cntrl:]][^/]*| [^/]*|[^/]* )/?$";

    /// <summary>Whole-tree mirrors only say what they would do (--dry-run).</summary>
    public bool DryRun { get; init; }

    /// <summary>Paths that could not be put in a command (a line break in the name).</summary>
    public List<string> Unsendable { get; } = [];

    /// <summary>The server path for <paramref name="relative"/>: "./a/b" ("." for rpath itself).</summary>
    public static string Remote(string relative) => LftpSyntax.Quote(relative.Length == 0 ? "." : "./" + relative);

    /// <summary>The renames, each allowed to fail.</summary>
    public void AddMoves(LftpScript script, IReadOnlyList<MovedPath> moves)
    {
        foreach (MovedPath move in moves)
        {
            if (CanSend(move.From) && CanSend(move.To) && !Refused(move.To))
            {
                script.Add($"mv {Remote(move.From)} {Remote(move.To)}{Tolerated}");
            }
        }
    }

    /// <summary>A name job, as the remarks say.</summary>
    public void AddNames(LftpScript script, DirectoryJob job)
    {
        string directory = job.Directory;
        if (!Carries(directory) || !IsDirectoryInTree(directory))
        {
            // Gone from the source: the job that names the directory in its parent deletes it.
            return;
        }

        var files = new List<string>();
        foreach (var (name, change) in job.Names.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            string path = WatchPaths.Join(directory, name);
            if (!Carries(path))
            {
                continue;
            }

            UnixFileStatus? status = UnixFileStatus.OfLink(Local(path));
            bool removed = (change & NameChange.Removed) != 0;
            if (status is null)
            {
                // The server's entry may be either kind; the rules protect only the kind they exclude.
                bool fileProtected = filter.IsExcluded(path, isDirectory: false);
                if (!fileProtected && !filter.IsExcluded(path, isDirectory: true))
                {
                    script.Add($"rm -r -f {Remote(path)}");
                }
                else if (!fileProtected)
                {
                    // A file or a link goes, as rsync deletes it; a protected directory stays (not removable without -r).
                    script.Add($"rm -f {Remote(path)}{Tolerated}");
                }
            }
            else if (status.Value.IsDirectory)
            {
                if (!filter.IsExcluded(path, isDirectory: true))
                {
                    if (removed)
                    {
                        // A file that was here before is replaced; a directory (not removable without -r) stays.
                        script.Add($"rm -f {Remote(path)}{Tolerated}");
                    }

                    script.Add($"mkdir -f {Remote(path)}{Tolerated}");
                }
                else if (!filter.IsExcluded(path, isDirectory: false))
                {
                    // An excluded directory where a file may have been: the rules do not protect that file on the
                    // server (rsync deletes it too). A directory there stays (not removable without -r).
                    script.Add($"rm -f {Remote(path)}{Tolerated}");
                }
            }
            else if ((status.Value.IsRegularFile || status.Value.Type == Interop.Libc.S_IFLNK) && !filter.IsExcluded(path, isDirectory: false))
            {
                if (removed)
                {
                    // The server may hold a directory of that name, which mirror cannot turn into a file.
                    script.Add($"rm -r -f {Remote(path)}");
                }
                else if (status.Value.Type == Interop.Libc.S_IFLNK && !ftp)
                {
                    // An SFTP server will not make a link over an existing entry: a re-pointed link is made anew.
                    script.Add($"rm -f {Remote(path)}{Tolerated}");
                }

                files.Add(name);
            }
        }

        if (files.Count > 0)
        {
            script.Add($"mirror -R -v -r --transfer-all{UploadOptions} -i {LftpSyntax.Quote(LftpSyntax.AnyOf(files))} {LftpSyntax.Quote(Local(directory))} {Remote(directory)}");
        }
    }

    /// <summary>A recursive job or a full sync ("" = the root): mirror the directory, with deletions unless told not to.</summary>
    /// <param name="script">The script.</param>
    /// <param name="directory">The directory, relative to the root.</param>
    /// <param name="excluded">The topmost excluded paths below it (<see cref="ExcludedPaths"/>).</param>
    /// <param name="delete">Whether entries missing from the source are deleted on the server.</param>
    /// <param name="recent">Files (relative to the directory) that go again whatever their size and mtime say (see the
    /// remarks of <see cref="LftpBatch"/>).</param>
    /// <param name="conflicts">Entries below the directory to remove first (<see cref="TypeConflicts"/>).</param>
    public void AddTree(
        LftpScript script, string directory, IReadOnlyList<string> excluded, bool delete, IReadOnlyList<string>? recent = null, IReadOnlyList<string>? conflicts = null)
    {
        if (!Carries(directory))
        {
            return;
        }

        if (!IsDirectoryInTree(directory))
        {
            int slash = directory.LastIndexOf('/');
            string parent = slash < 0 ? "" : directory[..slash];
            if (directory.Length > 0 && IsDirectoryInTree(parent) && UnixFileStatus.OfLink(Local(directory)) is not null)
            {
                // Now a file or a link (a job re-queued from a failed batch still names the old directory): sent as a
                // name that replaces whatever the server holds there.
                AddNames(script, new DirectoryJob(parent, false, new Dictionary<string, NameChange>
                {
                    [directory[(slash + 1)..]] = NameChange.Removed | NameChange.Modified,
                }));
            }
            else if (directory.Length > 0)
            {
                script.Add($"rm -r -f {Remote(directory)}");
            }

            return;
        }

        if (directory.Length > 0 && !DryRun)
        {
            // A file (or link) where the directory now is: mirror cannot enter it. A directory is not removed by this.
            script.Add($"rm -f {Remote(directory)}{Tolerated}");
        }

        foreach (string conflict in DryRun ? [] : conflicts ?? [])
        {
            string path = WatchPaths.Join(directory, conflict);
            if (CanSend(path))
            {
                script.Add($"rm -r -f {Remote(path)}");
            }
        }

        string filters = Filters(excluded);
        // "/." : the root may be /proc/self/fd/N, a link to the directory, which mirror must enter, not copy.
        string source = LftpSyntax.Quote(Local(directory) + "/.");
        // --upload-older: a file touched to an older mtime differs too (lftp skips it by default when the server's copy
        // is newer; rsync sends it).
        string mirror = "mirror -R" + (DryRun ? " --dry-run" + FtpOptions : " -v" + UploadOptions) + " --upload-older";
        script.Add($"{mirror}{(delete ? " -e" : "")}{filters} {source} {Remote(directory)}");
        List<string> again = [.. (recent ?? []).Where(p => CanSend(WatchPaths.Join(directory, p)))];
        if (again.Count > 0 && !DryRun)
        {
            // Only these files: the includes first (what matches no rule is then left out), then the excludes, since mirror
            // still walks (and makes) every directory it does not exclude.
            var includes = new System.Text.StringBuilder();
            foreach (string[] chunk in again.Chunk(200))
            {
                includes.Append(" -i ").Append(LftpSyntax.Quote(LftpSyntax.AnyOf(chunk)));
            }

            script.Add($"mirror -R -v{(ftp ? "" : " --no-symlinks")}{UploadOptions} --transfer-all{includes}{filters} {source} {Remote(directory)}");
        }
    }

    private string Filters(IReadOnlyList<string> excluded)
    {
        var command = new System.Text.StringBuilder();

        // Chunks keep each regular expression small enough for regcomp.
        foreach (string[] chunk in excluded.Chunk(200))
        {
            command.Append(" -x ").Append(LftpSyntax.Quote(LftpSyntax.AnyOf(chunk)));
        }

        if (refusedNames.Count > 0)
        {
            command.Append(" -x ").Append(LftpSyntax.Quote(LftpSyntax.AnyName(refusedNames.Order(StringComparer.Ordinal))));
        }

        if (ftp)
        {
            command.Append(" -x ").Append(LftpSyntax.Quote(FtpUnsafeNames));
        }

        foreach (string pattern in NamePatterns.Of(filter))
        {
            command.Append(" -x ").Append(LftpSyntax.Quote(pattern));
        }

        return command.ToString();
    }

    private string FtpOptions => ftp ? " --no-symlinks --no-perms" : "";

    /// <summary>What every mirror that sends takes: <see cref="FtpOptions"/>, and on SFTP --ignore-size (see the remarks).</summary>
    private string UploadOptions => ftp ? FtpOptions : " --ignore-size";

    private string Local(string relative) => relative.Length == 0 ? sourceRoot + "." : sourceRoot + relative;

    /// <summary>
    /// Whether the path is a directory of the tree: it and each directory above it a directory, not a symbolic link. A
    /// tree writer who swaps a directory for a link to /etc must not get /etc mirrored through it.
    /// </summary>
    private bool IsDirectoryInTree(string relative)
    {
        if (UnixFileStatus.OfLink(Local("")) is not { IsDirectory: true })
        {
            return false;
        }

        for (int slash = relative.IndexOf('/'); ; slash = relative.IndexOf('/', slash + 1))
        {
            string prefix = slash < 0 ? relative : relative[..slash];
            if (prefix.Length > 0 && UnixFileStatus.OfLink(Local(prefix)) is not { IsDirectory: true })
            {
                return false;
            }

            if (slash < 0)
            {
                return true;
            }
        }
    }

    private bool CanSend(string path) => LftpSyntax.CanCarry(path) && (!ftp || path.Split('/').All(FtpCarries));

    /// <summary>Whether the path can be sent: else it is added to <see cref="Unsendable"/>.</summary>
    private bool Carries(string path)
    {
        if (CanSend(path) && !Refused(path))
        {
            return true;
        }

        Unsendable.Add(path);
        return false;
    }

    // A refused name anywhere on the path: the server would refuse to make it, and so fail the whole batch.
    private bool Refused(string path) => refusedNames.Count > 0 && path.Split('/').Any(refusedNames.Contains);

    private static bool FtpCarries(string name) =>
        !name.Any(char.IsControl) && !name.StartsWith(' ') && !name.EndsWith(' ');

}
