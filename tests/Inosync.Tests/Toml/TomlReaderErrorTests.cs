using Inosync.Tests.Toml.Support;
using Inosync.Toml;

namespace Inosync.Tests.Toml;

/// <summary>Errors name the file, the 1-based line and column (in Unicode scalar values), and what was expected.</summary>
public sealed class TomlReaderErrorTests
{
    [Theory]
    [InlineData("[sync]\nsource = \"/srv\"\nwpath \"/data\"\n",
        "sync.toml:3:7: expecting `=` after a key instead of \"/data\"")]
    [InlineData("[sync]\na = 1\n\n[node]\nb = 2\n\n[sync]\n",
        "sync.toml:7:1: key \"sync\" is defined twice (first at 1:1)")]
    [InlineData("[sync]\ndelay = 1\n  delay = 2\n",
        "sync.toml:3:3: key \"sync.delay\" is defined twice (first at 2:1)")]
    [InlineData("source = /srv/data\n",
        "sync.toml:1:10: unexpected token `/` for a value (strings must be in quotes; booleans are lower-case true/false)")]
    [InlineData("level = info\n",
        "sync.toml:1:9: unexpected token `info` for a value (strings must be in quotes; booleans are lower-case true/false)")]
    [InlineData("path = \"/srv\n",
        "sync.toml:1:13: invalid newline in a string")]
    [InlineData("path = \"C:\\data\"\n",
        "sync.toml:1:12: unexpected escape character [d] in string. Only b t n f r e \\ \" xHH u0000-uFFFF U00000000-UFFFFFFFF are allowed (write \\\\ for a backslash, or use a 'literal string')")]
    [InlineData("opts = { a = 1 }\n[opts.more]\n",
        "sync.toml:2:2: key \"opts\" is defined twice (first at 1:1)")]
    [InlineData("[a.b]\n[a]\nb.c = 1\n",
        "sync.toml:3:1: key \"a.b\" is defined twice (first at 1:1)")]
    [InlineData("n = 9223372036854775808\n",
        "sync.toml:1:5: integer \"9223372036854775808\" is out of range (-9223372036854775808 to 9223372036854775807)")]
    [InlineData("since = 2023-02-29\n",
        "sync.toml:1:9: invalid date/time \"2023-02-29\": day 29 is not 01-28 (February 2023 has 28 days)")]
    [InlineData("exclude = [\"*.tmp\" \".git\"]\n",
        "sync.toml:1:20: missing a `,` (token: comma) to separate items in an array")]
    [InlineData("[[node]]\n[node]\n",
        "sync.toml:2:1: key \"node\" is defined twice (first at 1:1)")]
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
        error.Reason.Should().Be("unexpected token `=` for a value (strings must be in quotes; booleans are lower-case true/false)");
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
    [InlineData("# bell \u0007\n", 1, 8, "invalid control character U+0007 in comment")]
    [InlineData("a = 1\rb = 2\n", 1, 6, "invalid \\r not followed by \\n")]
    [InlineData("a = \"\u007F\"\n", 1, 5, "invalid control character found")]
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

        error.Message.Should().Be("sync.toml:1:69: values are nested more than 64 levels deep");
    }

    [Fact]
    public void Deep_nesting_is_located_past_strings_and_comments()
    {
        TomlException error = TomlText.Reject("a = \"[[[\" # [[[\nb = [\n" + new string('[', 100));

        error.Message.Should().Be("sync.toml:3:64: values are nested more than 64 levels deep");
    }

    [Fact]
    public void A_bad_byte_inside_a_multi_line_string_is_reported_where_it_is()
    {
        byte[] bytes = [.. "x = \"\"\"\nfoo"u8, 0xE2, 0x28, .. "\"\"\"\n"u8];

        TomlException error = TomlText.Reject(bytes);

        error.Message.Should().Be("sync.toml:2:4: invalid UTF-8: unexpected byte 0xE2 (TOML files must be UTF-8)");
    }

    [Fact]
    public void A_second_byte_order_mark_is_rejected()
    {
        TomlException error = TomlText.Reject([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. "a = 1\n"u8]);

        error.Message.Should().Be("sync.toml:1:1: a second byte order mark (U+FEFF) at the start of the file");
    }

    [Theory]
    [InlineData("n = 0xFFFFFFFFFFFFFFFF\n", "sync.toml:1:5: integer \"0xFFFFFFFFFFFFFFFF\" is out of range (0 to 0x7FFFFFFFFFFFFFFF)")]
    [InlineData("n = 0x8000_0000_0000_0000\n", "sync.toml:1:5: integer \"0x8000_0000_0000_0000\" is out of range (0 to 0x7FFFFFFFFFFFFFFF)")]
    [InlineData("n = 0o1_000000000000000000000\n", "sync.toml:1:5: invalid size of octal integer. Expecting less than or equal 21 octal digits")]
    [InlineData("n = 0b1000000000000000000000000000000000000000000000000000000000000000\n",
        "sync.toml:1:5: integer \"0b10000000000000000000000000000000000000…\" is out of range (0 to 0b111111111111111111111111111111111111111111111111111111111111111)")]
    [InlineData("f = 1e999\n", "sync.toml:1:5: float \"1e999\" is out of range (at most ±1.7976931348623157E+308)")]
    [InlineData("f = [1.0, -1_0e999]\n", "sync.toml:1:11: float \"-1_0e999\" is out of range (at most ±1.7976931348623157E+308)")]
    public void Numbers_beyond_int64_or_double_are_errors_not_wrapped_values(string toml, string message)
    {
        TomlException error = TomlText.Reject(toml);

        error.Message.Should().Be(message);
    }

    [Fact]
    public void An_error_message_quotes_at_most_a_short_excerpt()
    {
        string longKey = new('k', 10_000);

        TomlException error = TomlText.Reject($"{longKey} = 1\n{longKey} = 2\n");

        error.Message.Should().Be($"sync.toml:2:1: key \"{new string('k', 40)}…\" is defined twice (first at 1:1)");
    }

    [Fact]
    public void A_duplicate_after_a_leap_second_is_still_found()
    {
        // Tomlyn rejects the leap second; the adapter's second pass must still validate the rest of the document.
        TomlException error = TomlText.Reject("t = [1987-07-05T23:59:60Z, 1]\nx = 1\nx = 2\n");

        error.Message.Should().Be("sync.toml:3:1: key \"x\" is defined twice (first at 2:1)");
    }
}
