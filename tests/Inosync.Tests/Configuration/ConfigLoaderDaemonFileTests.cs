using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary>pid_file, log_file and status_file are files of their own: never the configuration, never each other, never inside a wpath.</summary>
public sealed class ConfigLoaderDaemonFileTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-daemonfiles-");

    public ConfigLoaderDaemonFileTests() => _dir.CreateDirectory("www");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_pid_file_naming_the_configuration_is_rejected()
    {
        _dir.LoadFails(Config("pid_file = \"sync.toml\"")).Should().Be(
            $"{SyncToml}:1:12: pid_file '{SyncToml}' is the same file as the configuration file '{SyncToml}': give each its own file");
    }

    [Fact]
    public void A_log_file_reaching_the_configuration_through_a_symlink_is_rejected()
    {
        File.CreateSymbolicLink(_dir.PathOf("log.link"), "sync.toml");

        _dir.LoadFails(Config("log_file = \"log.link\"")).Should().Be(
            $"{SyncToml}:1:12: log_file '{_dir.PathOf("log.link")}' (after resolving symbolic links: '{SyncToml}') is the same file as the configuration file '{SyncToml}': give each its own file");
    }

    [Fact]
    public void A_status_file_equal_to_the_pid_file_is_rejected()
    {
        _dir.LoadFails(Config("pid_file = \"run/x\"\nstatus_file = \"run/x\"")).Should().Be(
            $"{SyncToml}:2:15: status_file '{_dir.PathOf("run/x")}' is the same file as pid_file '{_dir.PathOf("run/x")}' at {SyncToml}:1:12: give each its own file");
    }

    [Fact]
    public void A_log_file_inside_the_watched_tree_is_rejected()
    {
        _dir.LoadFails(Config("log_file = \"www/inosync.log\"")).Should().Be(
            $"{SyncToml}:1:12: log_file '{_dir.PathOf("www/inosync.log")}' lies inside wpath '{_dir.PathOf("www")}' of the sync at {SyncToml}:2:9: every write to it would be synced, for ever");
    }

    [Fact]
    public void Distinct_files_outside_the_tree_load()
    {
        InosyncConfig config = _dir.Load(Config("pid_file = \"run/pid\"\nlog_file = \"log/inosync.log\"\nstatus_file = \"run/status.json\""));

        config.PidFile.Should().Be(_dir.PathOf("run/pid"));
    }

    private static string Config(string files) => $"{files}\nwpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n";

    private string SyncToml => _dir.PathOf("sync.toml");
}
