namespace Inosync.Configuration;

/// <summary>Who rotates <c>log_file</c>.</summary>
public enum LogRotation
{
    /// <summary>inosync: the first line of a new day moves yesterday's file to <c>PATH.YYYYMMDD</c>; 14 are kept.</summary>
    Daily,

    /// <summary>logrotate (or another tool) moves the file and sends SIGHUP; inosync never renames it.</summary>
    External,
}
