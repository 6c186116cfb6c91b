using Inosync.Cli.Logging;
using Inosync.Configuration;
using Inosync.Files;
using Inosync.Status;
using Inosync.Testing;
using Inosync.Tests.Status;

namespace Inosync.Tests.Hosting;

/// <summary>
/// The files the daemon (root) writes never follow a symbolic link that another user planted beside them, and are
/// created with modes that keep their contents private.
/// </summary>
public sealed class DaemonFileSafetyTests : IDisposable
{
    private const string Secret = "root's secret\n";
    private readonly TempTree _dir = new("inosync-daemonfile-");
    private readonly string _victim;

    public DaemonFileSafetyTests() => _victim = _dir.WriteFile("victim", Secret);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_pid_file_is_not_written_through_a_link_at_the_old_temp_name()
    {
        string pidPath = _dir.PathOf("inosync.pid");
        File.CreateSymbolicLink($"{pidPath}.{Environment.ProcessId}.tmp", _victim);

        using (InstanceLock.ForPidFile(pidPath))
        {
            File.ReadAllText(_victim).Should().Be(Secret);
            File.ReadAllText(pidPath).Should().Be($"{Environment.ProcessId}\n");
            new FileInfo(pidPath).LinkTarget.Should().BeNull();
            File.GetUnixFileMode(pidPath).Should().NotHaveFlag(UnixFileMode.OtherWrite).And.NotHaveFlag(UnixFileMode.GroupWrite);
        }
    }

    [Fact]
    public void The_status_file_is_not_written_through_a_link_at_the_old_temp_name_and_is_private()
    {
        string statusPath = _dir.PathOf("status.json");
        File.CreateSymbolicLink(_dir.PathOf($".status.json.{Environment.ProcessId}.tmp"), _victim);

        StatusFile.Write(statusPath, StatusSamples.Document());

        File.ReadAllText(_victim).Should().Be(Secret);
        StatusFile.Read(statusPath).Should().NotBeNull();
        File.GetUnixFileMode(statusPath).Should().NotHaveFlag(UnixFileMode.OtherRead).And.NotHaveFlag(UnixFileMode.GroupWrite);
    }

    [Fact]
    public void A_log_file_that_is_a_symbolic_link_is_refused()
    {
        string log = _dir.PathOf("inosync.log");
        File.CreateSymbolicLink(log, _victim);

        ConfigException error = FluentActions.Invoking(() => LoggingSetup.OpenLogFile(log, "{Message}", LogRotation.External).Dispose()).Should().Throw<ConfigException>().Which;

        error.ExitCode.Should().Be(ExitCode.CantCreate);
        error.Message.Should().Be($"{log}: cannot write the log file: it is a symbolic link, which inosync does not follow for the files it writes");
        File.ReadAllText(_victim).Should().Be(Secret);
    }

    [Fact]
    public void A_log_file_that_is_a_directory_is_refused()
    {
        string log = _dir.CreateDirectory("inosync.log");

        FluentActions.Invoking(() => LoggingSetup.OpenLogFile(log, "{Message}", LogRotation.External).Dispose()).Should().Throw<ConfigException>()
            .Which.Message.Should().Be($"{log}: cannot write the log file: it is a directory");
    }

    [Fact]
    public void A_new_log_file_is_created_private()
    {
        string log = _dir.PathOf("logs/inosync.log");

        LoggingSetup.OpenLogFile(log, "{Message}", LogRotation.External).Dispose();

        File.Exists(log).Should().BeTrue();
        File.GetUnixFileMode(log).Should().NotHaveFlag(UnixFileMode.OtherRead);
    }
}
