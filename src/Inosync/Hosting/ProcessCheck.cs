namespace Inosync.Cli.Hosting;

/// <summary>Whether a pid (from a pid file or the status file) is a running inosync.</summary>
internal static class ProcessCheck
{
    /// <summary>
    /// A live process whose command line mentions inosync. Pids are reused, so "alive" alone is not enough; when
    /// /proc/PID/cmdline cannot be read (hidepid), a live process is taken as ours.
    /// </summary>
    public static bool IsInosync(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        try
        {
            string cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("inosync", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Directory.Exists($"/proc/{pid}");
        }
    }
}
