using System.Globalization;
using System.Text;
using Inosync.Configuration;
using Inosync.Files;

namespace Inosync.Cli.Hosting;

/// <summary>
/// The pid file: written at start (atomically: temp file + rename), removed at exit if it is still ours.
/// A pid file naming a live inosync process means another instance runs on this config: refuse to start.
/// A stale one (the process is gone, or the pid now belongs to something else) is replaced.
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;
    private readonly int _pid = Environment.ProcessId;

    private PidFile(string path) => _path = path;

    /// <exception cref="ConfigException">Another inosync holds it, or it cannot be written (exit code 73).</exception>
    public static PidFile Acquire(string path)
    {
        if (ReadLivePid(path) is int other && other != Environment.ProcessId)
        {
            throw new ConfigException(
                $"{path}: another inosync is already running with pid {other}; stop it first, or remove the pid file if that is wrong",
                ExitCode.CantCreate);
        }

        try
        {
            // Like log_file and status_file: /run/inosync may not exist outside systemd's RuntimeDirectory.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            byte[] pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            SafeFile.WriteAtomically(path, pid, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot write the pid file: {ex.Message}", ExitCode.CantCreate, ex);
        }

        return new PidFile(path);
    }

    public void Dispose()
    {
        // Only remove the file if it still names us: a second instance started by mistake must not
        // delete the pid file of the first one on its way out.
        if (ReadPid(_path) == _pid)
        {
            TryDelete(_path);
        }
    }

    private static int? ReadLivePid(string path)
    {
        if (ReadPid(path) is not int pid)
        {
            return null;
        }

        return ProcessCheck.IsInosync(pid) ? pid : null;
    }

    private static int? ReadPid(string path)
    {
        try
        {
            string text = File.ReadAllText(path).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do on the way out; a stale pid file is detected as stale next time.
        }
    }
}
