using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary>rexcludes, exclude_from, filter and filter_from: one rule list, in that order, each key inherited on its own.</summary>
public sealed class ConfigLoaderFilterTests : IDisposable
{
    private const string Sync = "wpath = \"src\"\nrpath = \"/x\"\nrnodes = [\"web1:\"]\n";

    private readonly TempTree _dir = new("inosync-config-");

    public ConfigLoaderFilterTests() => _dir.CreateDirectory("src");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_four_keys_make_one_list_in_their_order_with_each_rules_place()
    {
        _dir.WriteFile("rules/excludes", "# what never goes out\n*.swp\n+ keep.swp\n");
        _dir.WriteFile("rules/filter", "; sources only\n+ /src/***\n- *\n");

        SyncConfig sync = _dir.Load(Sync + """
            filter_from = "rules/filter"
            filter = ["- /src/build/"]
            exclude_from = "rules/excludes"
            rexcludes = ["*.tmp"]
            """).Syncs[0];

        sync.Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- *.tmp", "- *.swp", "+ keep.swp", "- /src/build/", "+ /src/***", "- *");
        string toml = _dir.PathOf("sync.toml");
        sync.Filter.Rules.Select(r => r.Origin).Should().Equal(
            $"{toml}:7:14", _dir.PathOf("rules/excludes") + ":2", _dir.PathOf("rules/excludes") + ":3", $"{toml}:5:11",
            _dir.PathOf("rules/filter") + ":2", _dir.PathOf("rules/filter") + ":3");
        sync.FilterWarnings.Should().BeEmpty();
    }

    [Fact]
    public void A_clear_in_a_later_key_drops_the_rules_of_the_earlier_ones()
    {
        SyncConfig sync = _dir.Load(Sync + "rexcludes = [\"*.tmp\"]\nfilter = [\"- a\", \"!\", \"+ b\"]\n").Syncs[0];

        sync.Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("+ b");
    }

    [Fact]
    public void Each_sync_inherits_each_filter_key_on_its_own()
    {
        _dir.CreateDirectory("other");
        _dir.WriteFile("top.rules", "- /top/\n");

        InosyncConfig config = _dir.Load("""
            rnodes = ["web1:"]
            rpath = "/x"
            rexcludes = ["*.tmp"]
            filter_from = "top.rules"

            [[sync]]
            wpath = "src"
            filter = ["+ *.c"]

            [[sync]]
            wpath = "other"
            rpath = "/y"
            rexcludes = []
            """);

        config.Syncs[0].Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- *.tmp", "+ *.c", "- /top/");
        config.Syncs[1].Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- /top/");
    }

    [Fact]
    public void Empty_and_never_matching_rules_are_accepted_with_a_warning_each()
    {
        SyncConfig sync = _dir.Load(Sync + "rexcludes = [\"\"]\nfilter = [\"- abc[\", \"+ [[:nope:]]\", \"- ok\"]\n").Syncs[0];

        sync.Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- abc[", "+ [[:nope:]]", "- ok");
        string toml = _dir.PathOf("sync.toml");
        sync.FilterWarnings.Should().Equal(
            $"{toml}:4:14: an empty 'rexcludes' item is ignored, as rsync ignores it",
            $"{toml}:5:11: the pattern \"abc[\" can never match (the '[' at position 4 has no closing ']'); rsync accepts it, and so does inosync",
            $"{toml}:5:21: the pattern \"[[:nope:]]\" can never match ([:nope:] is not a character class); rsync accepts it, and so does inosync");
    }

    [Theory]
    [InlineData("filter = [\"*.php\"]", 11, "'filter': filter rule \"*.php\": it is not a filter rule: start it with \"+ \" (include), \"- \" (exclude) or \"!\" (clear)")]
    [InlineData("filter = [\"+ a\", \"-p b\"]", 18, "'filter': filter rule \"-p b\": rule modifiers ('p' at position 2) are not supported")]
    [InlineData("rexcludes = [\"+ keep\"]", 14, "'rexcludes': filter rule \"+ keep\": rsync reads a leading \"+ \" here as an include rule; write includes in 'filter'")]
    [InlineData("filter = \"+ a\"", 10, "'filter' must be an array of strings, not a string")]
    [InlineData("filter_from = 3", 15, "'filter_from' must be a string, not an integer")]
    public void A_wrong_rule_names_its_place(string line, int column, string expected) =>
        _dir.LoadFails(Sync + line + "\n").Should().Be($"{_dir.PathOf("sync.toml")}:4:{column}: {expected}");

    [Fact]
    public void A_wrong_rule_in_a_file_names_the_file_and_line()
    {
        _dir.WriteFile("www.rules", "+ */\n\n# fine so far\nmerge other.rules\n");

        _dir.LoadFails(Sync + "filter_from = \"www.rules\"\n").Should().Be(
            $"{_dir.PathOf("www.rules")}:4: filter rule \"merge other.rules\": only include (+), exclude (-) and clear (!) rules are supported " +
            $"(the 'filter_from' file of {_dir.PathOf("sync.toml")}:4:15)");
    }

    [Fact]
    public void A_missing_rules_file_is_an_input_error()
    {
        _dir.LoadFails(Sync + "exclude_from = \"nope\"\n", ExitCode.NoInput).Should().Be(
            $"{_dir.PathOf("sync.toml")}:4:16: 'exclude_from' file '{_dir.PathOf("nope")}' cannot be read: no such file or directory");
    }

    [Fact]
    public void A_rules_file_every_user_may_write_is_refused()
    {
        string rules = _dir.WriteFile("open.rules", "- x\n");
        File.SetUnixFileMode(rules, (UnixFileMode)0b110_110_110);

        _dir.LoadFails(Sync + "filter_from = \"open.rules\"\n").Should().Be(
            $"{_dir.PathOf("sync.toml")}:4:15: 'filter_from' file '{rules}' is writable by every user (chmod o-w '{rules}')");
    }

    [Fact]
    public void A_rules_file_that_is_not_utf8_is_refused()
    {
        _dir.WriteFile("latin1.rules", [(byte)'-', (byte)' ', 0xE9, (byte)'\n']);

        _dir.LoadFails(Sync + "filter_from = \"latin1.rules\"\n").Should().EndWith("'filter_from' file '" + _dir.PathOf("latin1.rules") + "' is not valid UTF-8");
    }
}
