namespace Inosync;

/// <summary>Process exit codes, after BSD sysexits(3). Documented in docs/operations.md.</summary>
public enum ExitCode
{
    /// <summary>Success; also a clean stop on SIGINT/SIGTERM after pending changes were synced.</summary>
    Ok = 0,

    /// <summary><c>inosync status</c>: the daemon runs, but a node is failing (its last rsync failed, retrying).</summary>
    Failing = 1,

    /// <summary>The command line was wrong (EX_USAGE).</summary>
    Usage = 64,

    /// <summary>The configuration file is missing or unreadable (EX_NOINPUT).</summary>
    NoInput = 66,

    /// <summary>
    /// rsync could not be found or run, or a node is unavailable (EX_UNAVAILABLE); for <c>inosync status</c>: the
    /// daemon is not running (stopped, killed, or never started with this status_file).
    /// </summary>
    Unavailable = 69,

    /// <summary>An internal error: a bug in inosync (EX_SOFTWARE).</summary>
    Software = 70,

    /// <summary>An operating-system limit or failure, e.g. the inotify watch limit (EX_OSERR).</summary>
    OsError = 71,

    /// <summary>A file inosync must create could not be (pid file, log file) or another instance holds the pid file (EX_CANTCREAT).</summary>
    CantCreate = 73,

    /// <summary>
    /// Stopped, but changes were left unsynced on some node (EX_TEMPFAIL): a second SIGTERM/SIGINT cut the stop short, or
    /// the final sync failed. The log names the nodes; the full sync at the next start repairs them.
    /// </summary>
    Unsynced = 75,

    /// <summary>The configuration is invalid (EX_CONFIG).</summary>
    Config = 78,
}
