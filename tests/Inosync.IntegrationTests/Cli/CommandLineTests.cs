using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Cli;

/// <summary>The real executable, called as a sysadmin would call it.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-it-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var result = await InosyncProcess.RunAsync("--version");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+", result.ToString());
    }

    [Fact]
    public async Task Help_lists_the_options_and_the_check_command()
    {
        var result = await InosyncProcess.RunAsync("--help");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().Contain("--config").And.Contain("--pretend").And.Contain("--verbose")
            .And.Contain("--log-file").And.Contain("check");
    }

    [Fact]
    public async Task No_arguments_is_a_usage_error_with_exit_64()
    {
        var result = await InosyncProcess.RunAsync();

        result.ExitCode.Should().Be(64, result.ToString());
        result.StdErr.Should().Contain("--config").And.Contain("inosync --help");
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_64()
    {
        var result = await InosyncProcess.RunAsync("-c", "x.toml", "--frobnicate");

        result.ExitCode.Should().Be(64, result.ToString());
        result.StdErr.Should().Contain("--frobnicate");
    }

    [Fact]
    public async Task Check_on_a_missing_file_exits_66_naming_the_file()
    {
        string path = _dir.PathOf("nope.toml");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(66, result.ToString());
        result.StdErr.Should().Contain(path);
    }

    [Fact]
    public async Task Check_on_invalid_toml_exits_78_with_file_line_and_column()
    {
        string path = _dir.WriteFile("bad.toml", "wpath = \"/tmp\"\nrnodes = [\"\"\nrpath = 3\n");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().MatchRegex(@"bad\.toml:3:\d+: ", result.ToString());
        result.StdErr.Trim().Split('\n').Should().HaveCount(1, "a config error is one line");
    }

    [Fact]
    public async Task Check_on_an_unknown_key_suggests_the_nearest_one()
    {
        _dir.CreateDirectory("src");
        string path = _dir.WriteFile("typo.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nrspeeed = 10\n");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain("typo.toml:4:1:").And.Contain("rspeeed").And.Contain("rspeed");
    }

    [Fact]
    public async Task Check_on_a_wrong_type_names_the_key_and_the_types()
    {
        _dir.CreateDirectory("src");
        string path = _dir.WriteFile("type.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nrspeed = \"fast\"\n");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain("type.toml:4:").And.Contain("rspeed").And.Contain("integer");
    }

    [Fact]
    public async Task Check_refuses_more_syncs_than_inotify_instances_exit_71()
    {
        int limit = int.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_user_instances").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var toml = new System.Text.StringBuilder();
        for (int i = 0; i <= limit; i++)
        {
            _dir.CreateDirectory($"w{i}");
            toml.Append(System.Globalization.CultureInfo.InvariantCulture, $"[[sync]]\nwpath = \"w{i}\"\nrpath = \"/n{i}\"\nrnodes = [\"host:\"]\n");
        }

        string path = _dir.WriteFile("many.toml", toml.ToString());

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(71, result.ToString());
        result.StdOut.Should().Contain($"inotify instances: {limit + 1} needed (one per sync); fs.inotify.max_user_instances is {limit}").And.Contain("TOO LOW");
        result.StdErr.Should().Contain("fs.inotify.max_user_instances");
    }

    [Fact]
    public async Task Check_on_a_node_inside_wpath_refuses_to_sync_into_itself()
    {
        _dir.CreateDirectory("src");
        string path = _dir.WriteFile("self.toml", "wpath = \"src\"\nrpath = \"src/mirror\"\nrnodes = [\"\"]\n");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain("self.toml:").And.Contain("inside");
    }

    [Fact]
    public async Task Check_on_a_good_config_reports_rsync_nodes_and_watch_budget_and_exits_0()
    {
        _dir.CreateDirectory("src/a/b");
        _dir.CreateDirectory("src/c");
        string path = _dir.WriteFile("good.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\", \"backup@127.0.0.1:\"]\n");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().Contain("rsync: ").And.Contain("protocol version")
            .And.Contain(_dir.PathOf("dst"))
            .And.Contain("backup@127.0.0.1:")
            .And.Contain("4 directories")
            .And.Contain("max_user_watches");
    }

    [Fact]
    public async Task Check_prints_the_effective_rules_the_directories_watched_under_them_and_a_warning_per_useless_rule()
    {
        _dir.CreateDirectory("src/a/b");
        _dir.CreateDirectory("src/build/x");
        _dir.WriteFile("src.rules", "# only C\n+ *.c\n- *\n");
        string path = _dir.WriteFile(
            "rules.toml",
            "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nrexcludes = [\"/build/\"]\nfilter = [\"+ */\", \"- [x\"]\nfilter_from = \"src.rules\"\n");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(0, result.ToString());
        string[] lines = result.StdOut.Split('\n');
        lines.Should().ContainInOrder(
            "  wpath: " + _dir.PathOf("src") + ": readable, 3 directories to watch",
            "  filter: 5 rules, the first that matches decides (no match: included)",
            $"    - /build/    ({path}:4:14)",
            $"    + */    ({path}:5:11)",
            $"    - [x    ({path}:5:19)",
            $"    + *.c    ({_dir.PathOf("src.rules")}:2)",
            $"    - *    ({_dir.PathOf("src.rules")}:3)",
            $"  warning: {path}:5:19: the pattern \"[x\" can never match (the '[' at position 1 has no closing ']'); rsync accepts it, and so does inosync");
        result.StdOut.Should().Contain("'--filter=+ */'", "every rsync gets the same rules");
    }

    [Fact]
    public async Task Check_with_a_missing_rsync_binary_exits_69()
    {
        _dir.CreateDirectory("src");
        string path = _dir.WriteFile("norsync.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nrsync = \"/nonexistent/rsync\"\n");

        var result = await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(69, result.ToString());
        result.StdErr.Should().Contain("/nonexistent/rsync");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("check")]
    public async Task An_rsync_older_than_3_1_3_is_refused_with_exit_69_before_anything_syncs(string command)
    {
        _dir.CreateDirectory("src");
        _dir.WriteFile("src/file", "not to be synced by an rsync that cannot do it");
        string old = _dir.WriteFile("old-rsync", "#!/bin/sh\necho 'rsync  version 3.1.2  protocol version 31'\n");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string path = _dir.WriteFile("old.toml", $"wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nrsync = \"{old}\"\n");

        var result = command == "run" ? await InosyncProcess.RunAsync("-c", path) : await InosyncProcess.RunAsync("check", "-c", path);

        result.ExitCode.Should().Be(69, result.ToString());
        result.StdErr.Should().Contain(old).And.Contain("3.1.2 is too old").And.Contain("3.1.3 or newer");
        _dir.Exists("dst/file").Should().BeFalse();
    }
}
