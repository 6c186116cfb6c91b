using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary><c>inosync status</c> reads only status_file, without the checks and side effects of a full load.</summary>
public sealed class ConfigLoaderStatusFileTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-config-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Relative_status_file_resolves_against_the_config_directory()
    {
        string path = _dir.WriteFile("etc/sync.toml", "status_file = \"run/status.json\"\nwpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\n");

        ConfigLoader.ReadStatusFile(path).Should().Be(_dir.PathOf("etc/run/status.json"));
    }

    [Fact]
    public void Without_status_file_it_is_null()
    {
        string path = _dir.WriteFile("sync.toml", "wpath = \"/srv/www\"\nrpath = \"/x\"\nrnodes = [\"\"]\n");

        ConfigLoader.ReadStatusFile(path).Should().BeNull();
    }

    [Fact]
    public void Nothing_is_created_and_the_syncs_are_not_checked()
    {
        string path = _dir.WriteFile("sync.toml", "status_file = \"/run/x.json\"\ncreate_dirs = true\nwpath = \"missing/src\"\nrnodes = [\"\"]\n");

        ConfigLoader.ReadStatusFile(path).Should().Be("/run/x.json");
        Directory.Exists(_dir.PathOf("missing")).Should().BeFalse();
    }

    [Fact]
    public void A_missing_file_is_exit_66_and_a_bad_value_exit_78()
    {
        ConfigLoad.Fails(() => ConfigLoader.ReadStatusFile(_dir.PathOf("nope.toml")), ExitCode.NoInput);
        string path = _dir.WriteFile("sync.toml", "status_file = 3\n");
        ConfigLoad.Fails(() => ConfigLoader.ReadStatusFile(path)).Should().Contain("sync.toml:1:15").And.Contain("status_file");
    }
}
