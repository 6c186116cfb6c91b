using Inosync.Tests.Migration.Support;
using Inosync.Toml;

namespace Inosync.Tests.Migration;

/// <summary>Each old setting lands on the sync.toml key with the same meaning, or becomes a comment that says why not.</summary>
public sealed class ConfigMigrationTests
{
    private const string Minimal = "wpath = '/srv/www/'\nrpath = '/var/www/'\nrnodes = ['web1:']\n";

    [Fact]
    public void Emask_becomes_a_comment_and_no_key()
    {
        string toml = Converted.Text(Minimal + "emask = [\n\t\"IN_CLOSE_WRITE\",\n\t\"IN_CREATE\",\n]\n");

        Converted.Parse(toml).ContainsKey("emask").Should().BeFalse();
        toml.Should().Contain("\n# emask = [\"IN_CLOSE_WRITE\", \"IN_CREATE\"]: not carried over — inosync chooses the inotify events itself\n");
    }

    [Fact]
    public void Wpaths_and_rpaths_become_one_sync_per_pair()
    {
        TomlTable config = Converted.Toml(
            "wpaths = ['/srv/a/', '/srv/b/', '/srv/c/']\nrpaths = ['/m/a', '/m/b', 'c']\nrnodes = ['u@h:', '']\nrexcludes = ['*.tmp']\n");

        config.Strings("rnodes").Should().Equal("u@h:", "");
        config.Strings("rexcludes").Should().Equal("*.tmp");
        var syncs = config.Tables("sync");
        syncs.Select(s => s.String("wpath")).Should().Equal("/srv/a/", "/srv/b/", "/srv/c/");
        syncs.Select(s => s.String("rpath")).Should().Equal("/m/a", "/m/b", "c");
        config.ContainsKey("wpath").Should().BeFalse();
    }

    [Fact]
    public void Nodes_concatenated_from_a_helper_name_keep_their_node_part()
    {
        TomlTable config = Converted.Toml(
            "wpath = '/var/www/'\nbase = '/srv/'\nhost = 'mirror.example.com'\nrnodes = ['deploy@' + host + ':' + base + 'www/']\n");

        config.Strings("rnodes").Should().Equal("deploy@mirror.example.com:");
        config.String("rpath").Should().Be("/srv/www/");
    }

    [Fact]
    public void Whole_destinations_without_rpath_are_split_into_node_and_rpath()
    {
        string toml = Converted.Text("wpath = '/var/www/'\nrnodes = ['a.mirror.com:/var/www/', 'b.mirror.com:/var/www/']\n");
        TomlTable config = Converted.Parse(toml);

        config.Strings("rnodes").Should().Equal("a.mirror.com:", "b.mirror.com:");
        config.String("rpath").Should().Be("/var/www/");
        Converted.Comments(toml).Should().Contain(
            "\"a.mirror.com:/var/www/\" is node \"a.mirror.com:\" + path \"/var/www/\": the path is in rpath now, since inosync joins node + rpath");
    }

    [Fact]
    public void Nodes_with_different_remote_paths_become_one_named_sync_per_path()
    {
        TomlTable config = Converted.Toml("wpath = '/srv/www/'\nrnodes = ['a:/var/www', 'b:/var/www', 'backup::www/site', '/mnt/copy']\n");

        var syncs = config.Tables("sync");
        syncs.Select(s => s.String("rpath")).Should().Equal("/var/www", "/site", "/mnt/copy");
        syncs[0].Strings("rnodes").Should().Equal("a:", "b:");
        syncs[1].Strings("rnodes").Should().Equal("backup::www");
        syncs[2].Strings("rnodes").Should().Equal("");
        syncs.Select(s => s.String("name")).Should().OnlyHaveUniqueItems();
        syncs.Should().AllSatisfy(s => s.String("wpath").Should().Be("/srv/www/"));
    }

    [Fact]
    public void A_source_without_trailing_slash_put_the_directory_itself_under_the_old_destination()
    {
        string toml = Converted.Text("wpath = '/srv/www'\nrpath = '/var/'\nrnodes = ['a:' + rpath]\n");

        // rsync -a /srv/www a:/var/ creates a:/var/www; inosync copies contents, so rpath must name www.
        Converted.Parse(toml).String("rpath").Should().Be("/var/www");
        Converted.Comments(toml).Should().Contain(c => c.StartsWith("wpath \"/srv/www\" has no trailing slash", StringComparison.Ordinal));
    }

    [Fact]
    public void A_source_without_trailing_slash_in_a_wpaths_fork_also_names_the_directory()
    {
        TomlTable config = Converted.Toml("wpaths = ['/srv/a', '/srv/b/']\nrpaths = ['/m/', '/n']\nrnodes = ['h:']\n");

        config.Tables("sync").Select(s => s.String("rpath")).Should().Equal("/m/a", "/n");
    }

    [Fact]
    public void The_single_tree_fork_always_synced_contents_so_its_rpath_is_kept()
    {
        TomlTable config = Converted.Toml("wpath = '/srv/www'\nrpath = '/var/www'\nrnodes = ['a:', '']\n");

        config.String("rpath").Should().Be("/var/www");
        config.Strings("rnodes").Should().Equal("a:", "");
    }

    [Fact]
    public void An_ssh_node_without_a_path_meant_the_home_directory()
    {
        string toml = Converted.Text("wpath = '/srv/www/'\nrnodes = ['backup@nas:']\n");

        Converted.Parse(toml).String("rpath").Should().Be(".");
        Converted.Comments(toml).Should().Contain(c => c.StartsWith("rpath \".\": \"backup@nas:\" had no path", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--rsh=ssh -a", new[] { "--rsh=ssh", "-a" })]
    [InlineData("  -e 'ssh -p 2222'   --chmod=D755,F644 ", new[] { "-e", "ssh -p 2222", "--chmod=D755,F644" })]
    [InlineData("--rsh=\\\"ssh -i /k\\\" --exclude=\\\"*.tmp\\\"", new[] { "--rsh=ssh -i /k", "--exclude=*.tmp" })]
    [InlineData("-a\\ b -z # the rest is a shell comment", new[] { "-a b", "-z" })]
    public void Extra_as_one_string_is_split_like_the_shell_split_it(string extra, string[] expected)
    {
        string toml = Converted.Text(Minimal + $"extra = \"{extra}\"\n");

        Converted.Parse(toml).Strings("extra").Should().Equal(expected);
        Converted.Comments(toml).Should().Contain(c => c.StartsWith("extra: the old string", StringComparison.Ordinal));
    }

    [Fact]
    public void Extra_with_shell_syntax_is_flagged_for_review()
    {
        string toml = Converted.Text(Minimal + "extra = '--password-file=$HOME/p'\n");

        Converted.Parse(toml).Strings("extra").Should().Equal("--password-file=$HOME/p");
        Converted.Comments(toml).Should().Contain(c => c.StartsWith("check extra: the old string used shell syntax ($)", StringComparison.Ordinal));
    }

    [Fact]
    public void Extra_as_a_list_and_an_empty_extra()
    {
        Converted.Toml(Minimal + "extra = ['--chmod=D755', '-z']\n").Strings("extra").Should().Equal("--chmod=D755", "-z");
        Converted.Toml(Minimal + "extra = ''\n").ContainsKey("extra").Should().BeFalse();
    }

    [Fact]
    public void Logfile_was_rsyncs_log_and_stays_one_after_the_extra_arguments()
    {
        TomlTable config = Converted.Toml(Minimal + "extra = '-z'\nlogfile = '/var/log/rsync.log'\n");

        config.Strings("extra").Should().Equal("-z", "--log-file=/var/log/rsync.log");
        config.ContainsKey("log_file").Should().BeFalse();
    }

    [Fact]
    public void Numbers_rsync_and_pidfile_are_carried()
    {
        string toml = Converted.Text(Minimal + "rspeed = 500\nedelay = 2.5\nrsync = '/usr/local/bin/rsync'\npidfile = '/run/inosync.pid'\n");
        TomlTable config = Converted.Parse(toml);

        config.Integer("rspeed").Should().Be(500);
        config["edelay"].Should().BeOfType<TomlFloat>().Which.Value.Should().Be(2.5);
        config.String("rsync").Should().Be("/usr/local/bin/rsync");
        config.String("pid_file").Should().Be("/run/inosync.pid");
        Converted.Comments(toml).Should().NotContain(c => c.StartsWith("edelay is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Integer_edelay_stays_an_integer_and_a_negative_rspeed_means_no_limit()
    {
        string toml = Converted.Text(Minimal + "edelay = 10\nrspeed = -1\n");
        TomlTable config = Converted.Parse(toml);

        config.Integer("edelay").Should().Be(10);
        config.Integer("rspeed").Should().Be(0);
        Converted.Comments(toml).Should().Contain("rspeed was -1: the Python inosync read a negative limit as no limit");
    }

    [Fact]
    public void An_rsync_command_with_arguments_is_flagged()
    {
        string toml = Converted.Text(Minimal + "rsync = '/bin/echo rsync'\n");

        Converted.Comments(toml).Should().Contain(c => c.StartsWith("rsync: the old value was run by a shell", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_names_get_a_note_unless_they_only_helped_build_other_values()
    {
        string toml = Converted.Text("root = '/srv/'\nwpath = root + 'www/'\nrpath = '/var/www/'\nrnodes = ['h:']\ndebug = True\n");

        var comments = Converted.Comments(toml);
        comments.Should().Contain("debug = True: not carried over — not a setting of the Python inosync");
        comments.Should().NotContain(c => c.StartsWith("root", StringComparison.Ordinal));
    }

    [Fact]
    public void Excludes_under_its_old_name_is_carried_into_rexcludes()
    {
        TomlTable config = Converted.Toml(Minimal + "rexcludes = ['a']\nexcludes = ['b']\n");

        config.Strings("rexcludes").Should().Equal("a", "b");
    }

    [Fact]
    public void Shared_and_per_tree_excludes_together_give_each_tree_both()
    {
        TomlTable config = Converted.Toml(
            "wpaths = ['/a/', '/b/']\nrpaths = ['/x', '/y']\nrnodes = ['h:']\nrexcludes = [['1'], ['2']]\nexcludes = ['0']\n");

        var syncs = config.Tables("sync");
        syncs[0].Strings("rexcludes").Should().Equal("0", "1");
        syncs[1].Strings("rexcludes").Should().Equal("0", "2");
    }

    [Fact]
    public void An_unused_rpath_next_to_wpaths_is_noted()
    {
        string toml = Converted.Text("wpaths = ['/a/']\nrpaths = ['/x']\nrpath = '/old'\nrnodes = ['h:']\n");

        Converted.Comments(toml).Should().Contain("rpath = \"/old\": not carried over — with wpaths the remote paths come from rpaths");
        Converted.Parse(toml).String("rpath").Should().Be("/x");
    }

    [Fact]
    public void Relative_wpath_is_flagged_since_it_now_resolves_against_the_config_file()
    {
        string toml = Converted.Text("wpath = 'www/'\nrpath = '/var/www'\nrnodes = ['h:']\n");

        Converted.Comments(toml).Should().Contain(c => c.StartsWith("wpath is relative", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_last_rnodes_counts_and_a_node_path_is_joined_to_rpath_as_written()
    {
        TomlTable config = Converted.Toml("wpath = '/srv/www/'\nrnodes = ['a:/x/', 'ssh://u@b:2222']\nrpath = '/y/'\nrnodes = ['a:/x/' + rpath]\n");

        // Only the last rnodes counts, as in Python.
        config.Strings("rnodes").Should().Equal("a:");
        config.String("rpath").Should().Be("/x//y/");
    }

    [Fact]
    public void Nodes_that_differ_per_sync_keep_their_node_tables_inside_the_sync()
    {
        string toml = Converted.Text("wpath = '/srv/www/'\nrnodes = ['ssh://u@b:2222', 'c:/other/']\n");
        TomlTable config = Converted.Parse(toml);

        toml.Should().Contain("[[sync.node]]");
        var syncs = config.Tables("sync");
        syncs.Should().HaveCount(2);
        var node = syncs[0].Tables("node").Should().ContainSingle().Which;
        node.String("target").Should().Be("u@b:");
        node.Strings("extra").Should().Equal("-e", "ssh -p 2222");
        syncs[1].Strings("rnodes").Should().Equal("c:");
        syncs[1].String("rpath").Should().Be("/other/");
    }

    [Fact]
    public void Strings_that_need_escaping_read_back_unchanged()
    {
        const string Odd = "/srv/\"q\" \\ tab\there\u0001 é 😀";
        string python = "wpath = '/srv/\"q\" \\\\ tab\\there\\x01 é 😀'\nrpath = '/r'\nrnodes = ['h:']\nrexcludes = ['C:\\\\x', \"it's\"]\n";

        TomlTable config = Converted.Toml(python);

        config.String("wpath").Should().Be(Odd);
        config.Strings("rexcludes").Should().Equal("C:\\x", "it's");
    }

    [Fact]
    public void The_header_names_the_file_and_survives_odd_names()
    {
        string toml = Converted.Text(Minimal, "conf/old\nname.py");

        toml.Should().StartWith("# converted from conf/old?name.py by inosync convert\n");
        Converted.Parse(toml).String("wpath").Should().Be("/srv/www/");
    }
}
