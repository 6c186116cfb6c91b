using Inosync.Tests.Toml.Support;
using Inosync.Toml;

namespace Inosync.Tests.Toml;

public sealed class TomlReaderDocumentTests
{
    private const string Config = """"
        # inosync configuration
        [sync]
        source = "/srv/data"
        delay = 1.5
        exclude = [
          "*.tmp",   # editor droppings
          '.git/',
        ]
        rsync-args = ['-a', "--delete"]

        [log]
        level = "info"
        file = '''/var/log/inosync.log'''
        motd = """
          mirrored by inosync \
          do not edit"""

        [[node]]
        name = "backup-1"
        target = "rsync://backup-1/data"
        bandwidth = 10_000
        retry = { initial = 1, max = 0x3c }
        enabled = true

        [[node]]
        name = "backup-2"
        target = "backup-2:/data"
        since = 2024-05-01 12:00:00.5z
        window.start = 22:00:00
        window.end = 06:30:00
        """";

    [Fact]
    public void Realistic_config_decodes_to_the_expected_model()
    {
        TomlTable root = TomlText.Parse(Config);

        root.Keys.Should().Equal("sync", "log", "node");
        var sync = (TomlTable)root["sync"];
        ((TomlString)sync["source"]).Value.Should().Be("/srv/data");
        ((TomlFloat)sync["delay"]).Value.Should().Be(1.5);
        ((TomlArray)sync["exclude"]).Select(n => ((TomlString)n).Value).Should().Equal("*.tmp", ".git/");
        ((TomlArray)sync["rsync-args"]).Select(n => ((TomlString)n).Value).Should().Equal("-a", "--delete");

        var log = (TomlTable)root["log"];
        ((TomlString)log["file"]).Value.Should().Be("/var/log/inosync.log");
        ((TomlString)log["motd"]).Value.Should().Be("  mirrored by inosync do not edit");

        var nodes = (TomlArray)root["node"];
        nodes.Should().HaveCount(2);
        var first = (TomlTable)nodes[0];
        ((TomlInteger)first["bandwidth"]).Value.Should().Be(10_000);
        var retry = (TomlTable)first["retry"];
        ((TomlInteger)retry["max"]).Value.Should().Be(60);
        ((TomlBoolean)first["enabled"]).Value.Should().BeTrue();

        var second = (TomlTable)nodes[1];
        var since = (TomlDateTime)second["since"];
        since.Kind.Should().Be(TomlDateTimeKind.OffsetDateTime);
        since.Text.Should().Be("2024-05-01T12:00:00.5Z");
        var window = (TomlTable)second["window"];
        ((TomlDateTime)window["start"]).Kind.Should().Be(TomlDateTimeKind.LocalTime);
        ((TomlDateTime)window["end"]).Text.Should().Be("06:30:00");
    }

    [Theory]
    [InlineData("d = 1979-05-27t07:32:00.123456789+01:30", TomlDateTimeKind.OffsetDateTime, "1979-05-27T07:32:00.123456789+01:30")]
    [InlineData("d = 1979-05-27 07:32:00", TomlDateTimeKind.LocalDateTime, "1979-05-27T07:32:00")]
    [InlineData("d = 2000-02-29", TomlDateTimeKind.LocalDate, "2000-02-29")]
    [InlineData("d = 23:59:60.5", TomlDateTimeKind.LocalTime, "23:59:60.5")]
    [InlineData("d = 1987-07-05T23:59:60Z", TomlDateTimeKind.OffsetDateTime, "1987-07-05T23:59:60Z")]
    [InlineData("d = 1987-07-05 17:45:56.1234567891", TomlDateTimeKind.LocalDateTime, "1987-07-05T17:45:56.1234567891")]
    [InlineData("d = 13:37", TomlDateTimeKind.LocalTime, "13:37:00")]
    [InlineData("d = 1979-05-27T07:32Z", TomlDateTimeKind.OffsetDateTime, "1979-05-27T07:32:00Z")]
    public void Date_times_keep_their_kind_and_a_canonical_text(string toml, TomlDateTimeKind kind, string text)
    {
        var value = (TomlDateTime)TomlText.Parse(toml)["d"];

        value.Kind.Should().Be(kind);
        value.Text.Should().Be(text);
    }

    [Theory]
    [InlineData("n = -9223372036854775808", long.MinValue)]
    [InlineData("n = 0x7FFF_FFFF_FFFF_FFFF", long.MaxValue)]
    [InlineData("n = 0o755", 493L)]
    [InlineData("n = 0b1010", 10L)]
    [InlineData("n = +1_000", 1000L)]
    public void Integers_cover_the_int64_range_in_every_base(string toml, long expected)
    {
        ((TomlInteger)TomlText.Parse(toml)["n"]).Value.Should().Be(expected);
    }

    [Theory]
    [InlineData("n = 0x8000000000000000")]
    [InlineData("n = -9223372036854775809")]
    [InlineData("n = 1e999")]
    public void Numbers_out_of_range_are_rejected(string toml)
    {
        TomlText.Reject(toml).Reason.Should().Contain("out of range");
    }

    [Fact]
    public void Toml_1_1_is_accepted()
    {
        TomlTable document = TomlText.Parse("""
            retry = {
              initial = 1,
              max = 60,   # a trailing comma and comments inside an inline table
            }
            escape = "\e[1m\x41"
            at = 07:30
            """);

        var retry = (TomlTable)document["retry"];
        ((TomlInteger)retry["max"]).Value.Should().Be(60);
        retry.GetKeyPosition("max").Should().Be(new TomlPosition(3, 3));
        ((TomlString)document["escape"]).Value.Should().Be("\u001b[1mA");
        ((TomlDateTime)document["at"]).Text.Should().Be("07:30:00");
    }
}
