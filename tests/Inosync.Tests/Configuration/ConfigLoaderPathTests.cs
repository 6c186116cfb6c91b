using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary>Relative paths resolve against the file's directory; a local node must stay out of the watched tree.</summary>
public sealed class ConfigLoaderPathTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-config-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Relative_paths_resolve_against_the_config_directory_not_the_working_directory()
    {
        _dir.CreateDirectory("etc/www");
        string configPath = _dir.WriteFile("etc/sync.toml", """
            log_file = "../log/inosync.log"
            pid_file = "run/inosync.pid"
            status_file = "./status.json"
            wpath = "www"
            rpath = "../mirror"
            rnodes = [""]
            """);

        InosyncConfig config = ConfigLoader.Load(configPath);

        config.LogFile.Should().Be(_dir.PathOf("log/inosync.log"));
        config.PidFile.Should().Be(_dir.PathOf("etc/run/inosync.pid"));
        config.StatusFile.Should().Be(_dir.PathOf("etc/status.json"));
        config.Syncs[0].WatchPath.Should().Be(_dir.PathOf("etc/www"));
        config.Syncs[0].Nodes[0].Target.Should().Be(_dir.PathOf("mirror"));
    }

    [Fact]
    public void A_relative_config_path_is_made_absolute_but_messages_keep_it_as_given()
    {
        _dir.WriteFile("sync.toml", "wpth = 1\n");
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, _dir.PathOf("sync.toml"));

        ConfigLoad.Fails(() => ConfigLoader.Load(relative))
            .Should().Be($"{relative}:1:1: unknown key 'wpth' (did you mean 'wpath'?)");
    }

    [Theory]
    [InlineData("www/", "www")]
    [InlineData("./www//", "www")]
    [InlineData("other/../www", "www")]
    public void Wpath_is_normalised(string written, string expected)
    {
        _dir.CreateDirectory("www");

        Load($"wpath = \"{written}\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n").Syncs[0].WatchPath.Should().Be(_dir.PathOf(expected));
    }

    [Fact]
    public void Absolute_wpath_is_kept()
    {
        string www = _dir.CreateDirectory("www");

        Load($"wpath = \"{www}/\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n").Syncs[0].WatchPath.Should().Be(www);
    }

    [Theory]
    [InlineData("www", "is")]
    [InlineData("www/", "is")]
    [InlineData("www/mirror", "lies inside")]
    [InlineData("./www/a/../mirror", "lies inside")]
    public void Local_target_inside_wpath_is_rejected(string rpath, string where)
    {
        _dir.CreateDirectory("www");
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rpath, _dir.Root));

        _dir.LoadFails($"wpath = \"www\"\nrpath = \"{rpath}\"\nrnodes = [\"\"]\n")
            .Should().Be($"{SyncToml}:3:11: local node target '{target}' {where} wpath '{_dir.PathOf("www")}': it would sync into itself");
    }

    [Fact]
    public void Local_target_containing_wpath_is_rejected()
    {
        _dir.CreateDirectory("data/www");

        _dir.LoadFails("wpath = \"data/www\"\nrpath = \"data\"\nrnodes = [\"\"]\n").Should().Be(
            $"{SyncToml}:3:11: wpath '{_dir.PathOf("data/www")}' lies inside local node target '{_dir.PathOf("data")}': rsync --delete would delete the watched tree");
    }

    [Fact]
    public void A_sibling_with_a_common_prefix_is_not_inside()
    {
        _dir.CreateDirectory("www");

        Load("wpath = \"www\"\nrpath = \"www2\"\nrnodes = [\"\"]\n").Syncs[0].Nodes[0].Target.Should().Be(_dir.PathOf("www2"));
    }

    [Fact]
    public void Local_target_reaching_into_wpath_through_a_symlink_is_rejected()
    {
        _dir.CreateDirectory("www/sub");
        Directory.CreateSymbolicLink(_dir.PathOf("link"), "www/sub");
        string target = _dir.PathOf("link/mirror");

        _dir.LoadFails("wpath = \"www\"\nrpath = \"link/mirror\"\nrnodes = [\"\"]\n").Should().Be(
            $"{SyncToml}:3:11: local node target '{target}' lies inside wpath '{_dir.PathOf("www")}' " +
            $"(after resolving symbolic links: '{_dir.PathOf("www/sub/mirror")}' and '{_dir.PathOf("www")}'): it would sync into itself");
    }

    [Fact]
    public void Wpath_that_is_a_symlink_to_the_target_is_rejected()
    {
        string mirror = _dir.CreateDirectory("mirror");
        Directory.CreateSymbolicLink(_dir.PathOf("www"), mirror);

        _dir.LoadFails("wpath = \"www\"\nrpath = \"mirror\"\nrnodes = [\"\"]\n").Should().Be(
            $"{SyncToml}:3:11: local node target '{mirror}' is wpath '{_dir.PathOf("www")}' " +
            $"(after resolving symbolic links: '{_dir.PathOf("mirror")}' and '{_dir.PathOf("mirror")}'): it would sync into itself");
    }

    [Fact]
    public void A_wpath_that_is_a_symbolic_link_is_refused()
    {
        string release = _dir.CreateDirectory("releases/42");
        Directory.CreateSymbolicLink(_dir.PathOf("current"), "releases/42");

        _dir.LoadFails("wpath = \"current\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n").Should().Be(
            $"{SyncToml}:1:9: wpath '{_dir.PathOf("current")}' is a symbolic link (to 'releases/42'): inosync keeps syncing the directory it found at start, " +
            $"so re-pointing the link (ln -sfn) would not be followed; give the directory itself ('{release}')");
    }

    [Fact]
    public void A_symlink_loop_does_not_hang_the_check()
    {
        _dir.CreateDirectory("www");
        Directory.CreateSymbolicLink(_dir.PathOf("loop1"), "loop2");
        Directory.CreateSymbolicLink(_dir.PathOf("loop2"), "loop1");

        Load("wpath = \"www\"\nrpath = \"loop1/x\"\nrnodes = [\"\"]\n").Syncs[0].Nodes[0].Target.Should().Be(_dir.PathOf("loop1/x"));
    }

    [Fact]
    public void Create_dirs_creates_a_missing_wpath_and_local_targets()
    {
        InosyncConfig config = Load("""
            create_dirs = true
            wpath = "demo/source"
            rpath = "demo/target"
            rnodes = ["", "web1:"]
            """);

        Directory.Exists(_dir.PathOf("demo/source")).Should().BeTrue();
        Directory.Exists(_dir.PathOf("demo/target")).Should().BeTrue();
        Directory.Exists(_dir.PathOf("web1:")).Should().BeFalse();
        config.Syncs[0].Nodes[0].Target.Should().Be(_dir.PathOf("demo/target"));
    }

    [Fact]
    public void Create_dirs_creates_nothing_when_the_file_has_an_error()
    {
        _dir.LoadFails("""
            create_dirs = true
            wpath = "demo/source"
            rpath = "demo/target"
            rnodes = [""]

            [[node]]
            target = "bad:::node"
            """);

        Directory.Exists(_dir.PathOf("demo")).Should().BeFalse();
    }

    [Fact]
    public void Create_dirs_does_not_create_a_target_inside_wpath()
    {
        _dir.LoadFails("create_dirs = true\nwpath = \"src\"\nrpath = \"src/copy\"\nrnodes = [\"\"]\n")
            .Should().Contain("it would sync into itself");

        Directory.Exists(_dir.PathOf("src")).Should().BeFalse();
    }

    [Fact]
    public void Create_dirs_failure_is_cant_create()
    {
        string file = _dir.WriteFile("file", "");

        string message = _dir.LoadFails("create_dirs = true\nwpath = \"file/www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n", ExitCode.CantCreate);

        message.Should().StartWith($"{SyncToml}:2:9: cannot create wpath '{file}/www' (create_dirs): ");
    }

    [Fact]
    public void Without_create_dirs_a_missing_local_target_is_fine_but_not_created()
    {
        _dir.CreateDirectory("www");

        Load("wpath = \"www\"\nrpath = \"mirror\"\nrnodes = [\"\"]\n");

        Directory.Exists(_dir.PathOf("mirror")).Should().BeFalse();
    }

    private string SyncToml => _dir.PathOf("sync.toml");

    private InosyncConfig Load(string toml) => _dir.Load(toml);
}
