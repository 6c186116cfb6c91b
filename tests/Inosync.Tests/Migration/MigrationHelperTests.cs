using Inosync.Migration;

namespace Inosync.Tests.Migration;

public sealed class MigrationHelperTests
{
    [Theory]
    [InlineData("host:/var/www", "host:", "/var/www")]
    [InlineData("user@host:www", "user@host:", "www")]
    [InlineData("host:", "host:", "")]
    [InlineData("[fe80::1]:/srv", "[fe80::1]:", "/srv")]
    [InlineData("user@[fe80::1]:/srv", "user@[fe80::1]:", "/srv")]
    [InlineData("host::module/sub/dir", "host::module", "/sub/dir")]
    [InlineData("host::module", "host::module", "")]
    [InlineData("rsync://user@host:873/module/sub", "rsync://user@host:873/module", "/sub")]
    [InlineData("rsync://host/module", "rsync://host/module", "")]
    [InlineData("/backup/www", "", "/backup/www")]
    [InlineData("backup/www", "", "backup/www")]
    [InlineData("./a:b", "", "./a:b")]
    [InlineData("", "", "")]
    public void Destinations_split_as_rsync_reads_them(string destination, string node, string path) =>
        RsyncDestination.Split(destination).Should().Be((node, path));

    [Theory]
    [InlineData("", new string[0], "")]
    [InlineData("a  b\tc", new[] { "a", "b", "c" }, "")]
    [InlineData("'a b'\"c d\"e", new[] { "a bc de" }, "")]
    [InlineData("\"a \\\" \\\\ \\x\"", new[] { "a \" \\ \\x" }, "")]
    [InlineData("'it''s'", new[] { "its" }, "")]
    [InlineData("a#b #c", new[] { "a#b" }, "")]
    [InlineData("$X `y` a|b ~/k", new[] { "$X", "`y`", "a|b", "~/k" }, "$`|~")]
    [InlineData("'$X' \"$Y\"", new[] { "$X", "$Y" }, "$")]
    public void Shell_words(string text, string[] words, string syntax)
    {
        ShellWords.Split(text, out string shellSyntax, out string? problem).Should().Equal(words);
        shellSyntax.Should().Be(syntax);
        problem.Should().BeNull();
    }

    [Theory]
    [InlineData("'abc", "it has an unclosed ' quote")]
    [InlineData("a \"bc", "it has an unclosed \" quote")]
    public void Shell_words_with_an_open_quote(string text, string message)
    {
        ShellWords.Split(text, out _, out string? problem);

        problem.Should().Be(message);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("C:\\x", "'C:\\x'")]
    [InlineData("it's \\", "\"it's \\\\\"")]
    [InlineData("q\"", "\"q\\\"\"")]
    [InlineData("tab\tnl\n\u007f", "\"tab\\u0009nl\\u000A\\u007F\"")]
    [InlineData("é😀", "\"é😀\"")]
    public void Toml_quoting(string value, string toml) =>
        TomlText.Quote(value).Should().Be(toml);

    [Theory]
    [InlineData(2.5, "2.5")]
    [InlineData(10.0, "10.0")]
    [InlineData(1e300, "1E+300")]
    [InlineData(double.PositiveInfinity, "inf")]
    public void Toml_floats_read_back_as_floats(double value, string toml) =>
        TomlText.Float(value).Should().Be(toml);
}
