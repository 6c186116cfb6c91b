using Inosync.Filtering;

namespace Inosync.Tests.Filtering;

/// <summary>Rule texts read the way rsync reads --filter values, --exclude-from lines and --exclude values.</summary>
public sealed class FilterListBuilderTests
{
    [Theory]
    [InlineData("+ *.php", "+ *.php")]
    [InlineData("- /build/", "- /build/")]
    [InlineData("+_x y", "+ x y")]
    [InlineData("+, keep", "+ keep")]
    [InlineData("include *.c", "+ *.c")]
    [InlineData("exclude_tmp", "- tmp")]
    [InlineData("-  two spaces", "-  two spaces")]
    [InlineData("- trailing ", "- trailing ")]
    [InlineData("+ - dash", "+ - dash")]
    public void Filter_rules_are_read_as_rsync_reads_them(string text, string rule)
    {
        var builder = new FilterListBuilder();

        builder.AddFilterRule(text, "here");

        builder.Rules.Should().ContainSingle().Which.Should().Be(
            new FilterRule(rule[0] == '+' ? FilterAction.Include : FilterAction.Exclude, rule[2..], "here"));
    }

    [Theory]
    [InlineData("!")]
    [InlineData("clear")]
    public void A_clear_rule_drops_every_rule_before_it(string clear)
    {
        var builder = new FilterListBuilder();

        builder.AddFilterRule("- a", "1");
        builder.AddExclude("b", "2");
        builder.AddFilterRule(clear, "3");
        builder.AddFilterRule("+ c", "4");

        builder.Rules.Select(r => r.ToRsyncRule()).Should().Equal("+ c");
    }

    [Fact]
    public void An_empty_rule_is_ignored()
    {
        var builder = new FilterListBuilder();

        builder.AddFilterRule("", "1");
        builder.AddExclude("", "2");
        builder.AddExcludeFileLine("", "3");

        builder.Rules.Should().BeEmpty();
    }

    [Theory]
    [InlineData("*.php", "not a filter rule")]
    [InlineData("+", "no pattern")]
    [InlineData("- ", "no pattern")]
    [InlineData("+/ x", "modifiers ('/' at position 2)")]
    [InlineData("-! */", "modifiers ('!' at position 2)")]
    [InlineData("-p x", "modifiers ('p' at position 2)")]
    [InlineData("!x", "takes nothing after it")]
    [InlineData("clear x", "takes nothing after it")]
    [InlineData("merge /etc/rules", "only include (+), exclude (-) and clear (!)")]
    [InlineData(". /etc/rules", "only include (+), exclude (-) and clear (!)")]
    [InlineData(": .rsync-filter", "only include (+), exclude (-) and clear (!)")]
    [InlineData("dir-merge .rsync-filter", "only include (+), exclude (-) and clear (!)")]
    [InlineData("P keep", "only include (+), exclude (-) and clear (!)")]
    [InlineData("hide x", "only include (+), exclude (-) and clear (!)")]
    [InlineData("- a\0b", "NUL")]
    public void Rules_rsync_refuses_or_that_mean_nothing_here_are_refused_with_their_text(string text, string reason)
    {
        var add = () => new FilterListBuilder().AddFilterRule(text, "here");

        add.Should().Throw<FormatException>().Which.Message.Should().Contain($"\"{text}\"").And.Contain(reason);
    }

    [Fact]
    public void A_pattern_rsync_would_drop_for_its_length_is_refused()
    {
        var add = () => new FilterListBuilder().AddFilterRule("- " + new string('x', 4096), "here");

        add.Should().Throw<FormatException>().Which.Message.Should().Contain("longer than 4095 bytes");
    }

    [Theory]
    [InlineData("*.o", "- *.o")]
    [InlineData("- *.o", "- *.o")]
    [InlineData("+ keep", "+ keep")]
    [InlineData("!foo", "- !foo")]
    [InlineData("include x", "- include x")]
    public void Exclude_file_lines_take_the_old_prefixes(string line, string rule)
    {
        var builder = new FilterListBuilder();

        builder.AddExcludeFileLine(line, "f:1");

        builder.Rules.Select(r => r.ToRsyncRule()).Should().Equal(rule);
    }

    [Fact]
    public void A_lone_bang_in_an_exclude_file_clears()
    {
        var builder = new FilterListBuilder();

        builder.AddExcludeFileLine("a", "f:1");
        builder.AddExcludeFileLine("!", "f:2");
        builder.AddExcludeFileLine("b", "f:3");

        builder.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- b");
    }

    [Fact]
    public void Rule_files_skip_comments_and_empty_lines_and_end_lines_at_cr_too()
    {
        var lines = FilterListBuilder.RuleLines("# comment\n; comment too\n\n+ a\r\n - b\n#\r+ c\n");

        lines.Should().Equal((4, "+ a"), (5, " - b"), (6, "+ c"));
    }
}
