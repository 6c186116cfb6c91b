using Inosync.Tests.Migration.Support;
using Inosync.Toml;

using Inosync.Testing.Migration;

namespace Inosync.Tests.Migration;

/// <summary>Every example configuration the Python inosync and its forks published converts to a sync.toml that
/// our reader accepts and that says the same thing.</summary>
public sealed class ReadmeExampleTests
{
    public static TheoryData<string, string> Examples
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, text) in LegacyExamples.All)
            {
                data.Add(name, text);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_converts_to_toml_our_reader_accepts(string name, string python)
    {
        string toml = Converted.Text(python);

        toml.Should().StartWith("# converted from OLD.py by inosync convert\n", because: name);
        Converted.Parse(toml).Count.Should().BePositive();
    }

    [Theory]
    [InlineData(LegacyExamples.OriginalReadme021)]
    [InlineData(LegacyExamples.OriginalReadme023)]
    public void Original_readme_keeps_only_the_node_part_of_host_plus_rpath(string python)
    {
        string toml = Converted.Text(python);
        TomlTable config = Converted.Parse(toml);

        config.String("wpath").Should().Be("/var/www/");
        config.String("rpath").Should().Be("/var/www/");
        config.Strings("rnodes").Should().Equal("a.mirror.com:", "b.mirror.com:", "c.mirror.com:");
        config.Strings("rexcludes").Should().Equal("/localhost");
        config.Keys.Should().BeEquivalentTo(["wpath", "rpath", "rnodes", "rexcludes"], because: "everything else is commented out");
        Converted.Comments(toml).Should().Contain(c => c.StartsWith("rnodes: the old entries were node + rpath", StringComparison.Ordinal));
        Converted.Comments(toml).Should().Contain(c => c.StartsWith("edelay is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Wpaths_fork_readme_with_one_pair_is_a_single_sync()
    {
        TomlTable config = Converted.Toml(LegacyExamples.WpathsForkReadme);

        config.String("wpath").Should().Be("/var/www/");
        config.String("rpath").Should().Be("/var/www/");
        config.Strings("rnodes").Should().Equal("user1@a.mirror.com:", "user2@b.mirror.com:", "user3@c.mirror.com:");
        config.Strings("rexcludes").Should().Equal("/localhost");
        config.ContainsKey("sync").Should().BeFalse();
    }

    [Fact]
    public void Per_path_excludes_readme_gives_the_only_tree_its_list()
    {
        TomlTable config = Converted.Toml(LegacyExamples.PerPathExcludesForkReadme);

        config.String("wpath").Should().Be("/var/www/");
        config.Strings("rexcludes").Should().Equal("/localhost");
    }

    [Fact]
    public void Setop_readme_keeps_wpath_rpath_and_nodes_as_written()
    {
        TomlTable config = Converted.Toml(LegacyExamples.SetopForkReadme);

        // That fork always gave rsync "wpath/", so no trailing slash does not mean "copy the directory itself".
        config.String("wpath").Should().Be("/var/www");
        config.String("rpath").Should().Be("/var/www");
        config.Strings("rnodes").Should().Equal("user1@a.mirror.com:", "user2@b.mirror.com:", "user3@c.mirror.com:");
        config.Strings("rexcludes").Should().Equal("*.bin");
    }

    [Fact]
    public void Wpaths_fork_sample_has_one_sync_per_pair_and_shared_nodes()
    {
        string toml = Converted.Text(LegacyExamples.WpathsForkSample);
        TomlTable config = Converted.Parse(toml);

        config.Strings("rnodes").Should().Equal("username@server1.com:", "username2@server2.com:");
        config.Strings("rexcludes").Should().Equal(".git/");
        config.Strings("extra").Should().Equal("--log-file=/home/username/inosync.log");
        var syncs = config.Tables("sync");
        syncs.Should().HaveCount(2);
        syncs[0].String("wpath").Should().Be("/home/username/path1/");
        syncs[0].String("rpath").Should().Be("/home/rusername/rpath1");
        syncs[1].String("wpath").Should().Be("/home/username/path2/");
        syncs[1].String("rpath").Should().Be("/home/rusername/rpath2/");
        syncs.Should().AllSatisfy(s => s.Keys.Should().BeEquivalentTo(["wpath", "rpath"]));
        Converted.Comments(toml).Should().Contain(c => c.StartsWith("logfile = \"/home/username/inosync.log\": the Python inosync gave it to rsync as --log-file", StringComparison.Ordinal));
    }

    [Fact]
    public void Per_path_excludes_sample_puts_each_list_in_its_sync()
    {
        TomlTable config = Converted.Toml(LegacyExamples.PerPathExcludesForkSample);

        config.ContainsKey("rexcludes").Should().BeFalse();
        var syncs = config.Tables("sync");
        syncs[0].Strings("rexcludes").Should().Equal(".git/", ".hg/");
        syncs[1].Strings("rexcludes").Should().Equal("build/");
    }

    [Fact]
    public void Ssh_url_sample_gets_plain_nodes_and_a_node_table_for_the_port()
    {
        string toml = Converted.Text(LegacyExamples.SshUrlForkSample);
        TomlTable config = Converted.Parse(toml);

        config.Strings("rnodes").Should().Equal("username@server1.com:");
        var node = config.Tables("node").Should().ContainSingle().Which;
        node.String("target").Should().Be("username2@server2.com:");
        node.Strings("extra").Should().Equal("-e", "ssh -p 222");
        config.Tables("sync").Select(s => s.String("rpath")).Should().Equal("/home/rusername/rpath1", "/home/rusername/rpath2/");
        Converted.Comments(toml).Should().Contain(
            "sleep_time = 60: not carried over — the tarabanton fork's batching period; inosync starts a batch once a change arrives (after edelay)");
    }

    [Fact]
    public void Setop_sample_ignores_trailing_comments_and_keeps_the_relative_logfile()
    {
        TomlTable config = Converted.Toml(LegacyExamples.SetopForkSample);

        config.String("wpath").Should().Be("/home/user/www");
        config.String("rpath").Should().Be("/var/lib/www");
        config.Strings("rexcludes").Should().Equal("*/6/*", "*.bin");
        config.Strings("rnodes").Should().HaveCount(3);
        config.Strings("extra").Should().Equal("--log-file=log/inosync.log");
    }
}
