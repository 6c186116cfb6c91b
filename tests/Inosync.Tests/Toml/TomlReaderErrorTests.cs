using Inosync.Tests.Toml.Support;
using Inosync.Toml;

namespace Inosync.Tests.Toml;

/// <summary>Errors name the file, the 1-based line and column (in Unicode scalar values), and what was expected.</summary>
public sealed class TomlReaderErrorTests
{
    [Theory]
    [InlineData("[sync]\nsource = \"/srv\"\nwpath \"/data\"\n",
        "sync.toml:3:7: expected '=' after key \"wpath\", found '\"'")]
    [InlineData("[sync]\na = 1\n\n[node]\nb = 2\n\n[sync]\n",
        "sync.toml:7:1: table [sync] is defined twice (first at 1:1)")]
    [InlineData("[sync]\ndelay = 1\n  delay = 2\n",
        "sync.toml:3:3: key \"delay\" in table [sync] is defined twice (first at 2:1)")]
    [InlineData("source = /srv/data\n",
        "sync.toml:1:10: expected a value for key \"source\", found '/'")]
    [InlineData("level = info\n",
        "sync.toml:1:9: expected a value for key \"level\", found \"info\" (strings must be in quotes; booleans are lower-case true/false)")]
    [InlineData("path = \"/srv\n",
        "sync.toml:1:13: expected '\"' to close the string started at 1:8, found the end of the line (use \"\"\" for a multi-line string)")]
    [InlineData("path = \"C:\\data\"\n",
        "sync.toml:1:11: invalid escape sequence \"\\d\" (TOML 1.0 allows \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX; write \\\\ for a backslash)")]
    [InlineData("opts = { a = 1 }\n[opts.more]\n",
        "sync.toml:2:2: cannot add to \"opts\": it is an inline table (written at 1:8), which is complete once written")]
    [InlineData("[a.b]\n[a]\nb.c = 1\n",
        "sync.toml:3:1: cannot add keys to table [a.b] with a dotted key: it has its own header at 1:1; put the key under that header")]
    [InlineData("n = 9223372036854775808\n",
        "sync.toml:1:5: integer \"9223372036854775808\" is out of range (-9223372036854775808 to 9223372036854775807)")]
    [InlineData("since = 2023-02-29\n",
        "sync.toml:1:9: invalid date/time \"2023-02-29\": day 29 is not 01-28 (February 2023 has 28 days)")]
    [InlineData("retry = { initial = 1,\n  max = 60 }\n",
        "sync.toml:1:23: expected '}' to close the inline table started at 1:9 on the same line, found the end of the line (TOML 1.0 inline tables are single-line; use a [table] instead)")]
    [InlineData("exclude = [\"*.tmp\" \".git\"]\n",
        "sync.toml:1:20: expected ',' or ']' in the array started at 1:11, found '\"'")]
    [InlineData("[[node]]\n[node]\n",
        "sync.toml:2:1: cannot define table [node]: it is already an array of tables (first at 1:1); use [[node]]")]
    public void Error_message_says_where_and_what_was_expected(string toml, string message)
    {
        TomlException error = TomlText.Reject(toml);

        error.Message.Should().Be(message);
    }

    [Fact]
    public void Exception_exposes_source_position_and_reason_separately()
    {
        TomlException error = TomlText.Reject("a = 1\nb = = 2\n");

        error.SourceName.Should().Be("sync.toml");
        error.Position.Should().Be(new TomlPosition(2, 5));
        error.Reason.Should().Be("expected a value for key \"b\", found '='");
    }

    [Theory]
    [InlineData("name = \"héllo\" x\n", 16)]   // é is 2 bytes, 1 column
    [InlineData("name = \"😀\" x\n", 12)]     // 4 bytes, 2 UTF-16 units, 1 column
    [InlineData("\uFEFFname = 1 x\n", 10)]   // the BOM is not a column
    public void Columns_count_unicode_scalar_values(string toml, int column)
    {
        TomlException error = TomlText.Reject(toml);

        error.Position.Should().Be(new TomlPosition(1, column));
    }

    [Fact]
    public void Invalid_utf8_is_reported_where_the_bad_byte_is()
    {
        byte[] bytes = [.. "a = 1\nb = \""u8, 0xFF, .. "\"\n"u8];

        TomlException error = TomlText.Reject(bytes);

        error.Message.Should().Be("sync.toml:2:6: invalid UTF-8: unexpected byte 0xFF (TOML files must be UTF-8)");
    }

    [Fact]
    public void An_earlier_syntax_error_is_reported_before_a_later_bad_byte()
    {
        byte[] bytes = [.. "a = \nb = \""u8, 0xC0, 0xAF, .. "\"\n"u8];

        TomlException error = TomlText.Reject(bytes);

        error.Position.Should().Be(new TomlPosition(1, 5));
    }

    [Theory]
    [InlineData("# bell \u0007\n", 1, 8, "control character U+0007 is not allowed")]
    [InlineData("a = 1\rb = 2\n", 1, 6, "a carriage return (CR) must be followed by a line feed (LF)")]
    [InlineData("a = \"\u007F\"\n", 1, 6, "control character U+007F is not allowed")]
    public void Control_characters_are_rejected_even_in_comments_and_strings(string toml, int line, int column, string reason)
    {
        TomlException error = TomlText.Reject(toml);

        error.Position.Should().Be(new TomlPosition(line, column));
        error.Reason.Should().StartWith(reason);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        TomlException error = TomlText.Reject("a = " + new string('[', 10_000));

        error.Reason.Should().Contain("nested more than");
    }
}
