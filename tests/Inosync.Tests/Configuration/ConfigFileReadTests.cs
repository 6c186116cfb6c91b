using System.Diagnostics;
using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary>The configuration must be a regular file of bounded size: a device or a FIFO given to -c fails at once (exit 66).</summary>
public sealed class ConfigFileReadTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-configfile-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_character_device_is_refused_without_reading_it()
    {
        ConfigLoad.Fails(() => ConfigLoader.Load("/dev/zero"), ExitCode.NoInput)
            .Should().Be("/dev/zero: cannot read the configuration file: it is a character device, not a regular file");
    }

    [Fact]
    public async Task A_fifo_is_refused_instead_of_hanging()
    {
        string fifo = _dir.PathOf("sync.toml");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            mkfifo.ExitCode.Should().Be(0);
        }

        Task<string> load = Task.Run(() => ConfigLoad.Fails(() => ConfigLoader.Load(fifo), ExitCode.NoInput));

        (await load.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be($"{fifo}: cannot read the configuration file: it is a FIFO, not a regular file");
    }

    [Fact]
    public void A_file_over_one_mebibyte_is_refused()
    {
        string path = _dir.WriteFile("sync.toml", "# " + new string('x', 1024 * 1024) + "\n");

        ConfigLoad.Fails(() => ConfigLoader.Load(path), ExitCode.NoInput)
            .Should().Be($"{path}: cannot read the configuration file: it is larger than 1024 KiB ({(1024 * 1024) + 3} bytes)");
    }

    [Fact]
    public void A_symlink_to_a_regular_file_is_read()
    {
        _dir.CreateDirectory("www");
        string real = _dir.WriteFile("real.toml", "wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n");
        string link = _dir.PathOf("sync.toml");
        File.CreateSymbolicLink(link, real);

        ConfigLoader.Load(link).Syncs.Should().ContainSingle();
    }
}
