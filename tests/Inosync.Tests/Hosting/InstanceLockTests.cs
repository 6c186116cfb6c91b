using System.Globalization;
using Inosync.Files;
using Inosync.Testing;

namespace Inosync.Tests.Hosting;

/// <summary>One daemon per configuration: the lock is taken or refused in one step, and dropped with its holder.</summary>
public sealed class InstanceLockTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-lock-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_held_pid_file_refuses_a_second_holder_and_names_the_first()
    {
        string pidPath = _dir.PathOf("inosync.pid");
        using (InstanceLock.ForPidFile(pidPath))
        {
            FluentActions.Invoking(() => InstanceLock.ForPidFile(pidPath)).Should().Throw<AlreadyRunningException>()
                .WithMessage($"another inosync is already running with pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}; stop it first");
            File.ReadAllText(pidPath).Should().Be($"{Environment.ProcessId}\n", "the refused holder must not touch it");
        }

        File.Exists(pidPath).Should().BeFalse("the holder removes it at exit");
        using (InstanceLock.ForPidFile(pidPath))
        {
            File.ReadAllText(pidPath).Should().Be($"{Environment.ProcessId}\n", "once released, the lock can be taken again");
        }
    }

    [Fact]
    public void A_stale_pid_file_is_taken_over()
    {
        string pidPath = _dir.WriteFile("inosync.pid", "999999999\nleft over\n");

        using (InstanceLock.ForPidFile(pidPath))
        {
            File.ReadAllText(pidPath).Should().Be($"{Environment.ProcessId}\n");
        }
    }

    [Fact]
    public void Without_a_pid_file_the_configuration_is_locked()
    {
        string config = _dir.WriteFile("sync.toml", "# config\n");
        using (InstanceLock.ForConfiguration(config))
        {
            FluentActions.Invoking(() => InstanceLock.ForConfiguration(config)).Should().Throw<AlreadyRunningException>()
                .WithMessage("another inosync is already running with this configuration; stop it first");
        }

        File.ReadAllText(config).Should().Be("# config\n", "the configuration is only locked, never written");
        using (InstanceLock.ForConfiguration(config))
        {
        }
    }
}
