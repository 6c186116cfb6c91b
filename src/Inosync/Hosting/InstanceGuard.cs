using Inosync.Configuration;
using Inosync.Files;

namespace Inosync.Cli.Hosting;

/// <summary>
/// Makes sure one daemon runs per configuration: locks pid_file (and writes our pid into it), or the configuration
/// file when there is no pid_file (<see cref="InstanceLock"/>). Held until disposed, at exit.
/// </summary>
internal static class InstanceGuard
{
    /// <exception cref="ConfigException">Another inosync holds the lock, or the file cannot be opened (exit code 73).</exception>
    public static IDisposable? Acquire(InosyncConfig config)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string path = config.PidFile ?? config.ConfigPath;
        try
        {
            if (config.PidFile is null)
            {
                return InstanceLock.ForConfiguration(config.ConfigPath);
            }

            // Like log_file and status_file: /run/inosync may not exist outside systemd's RuntimeDirectory.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(config.PidFile))!);
            return InstanceLock.ForPidFile(config.PidFile);
        }
        catch (AlreadyRunningException ex)
        {
            throw new ConfigException($"{path}: {ex.Message}", ExitCode.CantCreate, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string what = config.PidFile is null ? "cannot lock the configuration file" : "cannot write the pid file";
            throw new ConfigException($"{path}: {what}: {ex.Message}", ExitCode.CantCreate, ex);
        }
    }
}
