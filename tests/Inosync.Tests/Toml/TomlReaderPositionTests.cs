using Inosync.Tests.Toml.Support;
using Inosync.Toml;

namespace Inosync.Tests.Toml;

/// <summary>The config loader reports file:line:column from these, so they must point at what the user wrote.</summary>
public sealed class TomlReaderPositionTests
{
    private const string Document = """
        # inosync
        [sync]
        source = "/srv/data"
          delay  = 5
        [[node]]
        host = "a"
        [[node]]
        host = "b"
        opts.bw = 10
        limits = { rate = 1 }
        """;

    [Fact]
    public void Keys_are_where_they_were_written_and_values_where_they_start()
    {
        TomlTable root = TomlText.Parse(Document);
        var sync = (TomlTable)root["sync"];

        root.GetKeyPosition("sync").Should().Be(new TomlPosition(2, 2));
        sync.Position.Should().Be(new TomlPosition(2, 1));
        sync.GetKeyPosition("source").Should().Be(new TomlPosition(3, 1));
        sync["source"].Position.Should().Be(new TomlPosition(3, 10));
        sync.GetKeyPosition("delay").Should().Be(new TomlPosition(4, 3));
        sync["delay"].Position.Should().Be(new TomlPosition(4, 12));
    }

    [Fact]
    public void Array_of_tables_elements_are_at_their_own_headers()
    {
        TomlTable root = TomlText.Parse(Document);
        var nodes = (TomlArray)root["node"];
        var second = (TomlTable)nodes[1];

        root.GetKeyPosition("node").Should().Be(new TomlPosition(5, 3));
        nodes.Position.Should().Be(new TomlPosition(5, 1));
        nodes[0].Position.Should().Be(new TomlPosition(5, 1));
        second.Position.Should().Be(new TomlPosition(7, 1));
        second.GetKeyPosition("host").Should().Be(new TomlPosition(8, 1));
    }

    [Fact]
    public void Dotted_keys_and_inline_tables_have_positions_for_each_part()
    {
        var second = (TomlTable)((TomlArray)TomlText.Parse(Document)["node"])[1];
        var opts = (TomlTable)second["opts"];
        var limits = (TomlTable)second["limits"];

        second.GetKeyPosition("opts").Should().Be(new TomlPosition(9, 1));
        opts.Position.Should().Be(new TomlPosition(9, 1));
        opts.GetKeyPosition("bw").Should().Be(new TomlPosition(9, 6));
        opts["bw"].Position.Should().Be(new TomlPosition(9, 11));
        limits.Position.Should().Be(new TomlPosition(10, 10));
        limits.GetKeyPosition("rate").Should().Be(new TomlPosition(10, 12));
        limits["rate"].Position.Should().Be(new TomlPosition(10, 19));
    }

    [Fact]
    public void An_implicit_table_moves_to_its_header_but_keeps_its_first_key_position()
    {
        TomlTable root = TomlText.Parse("[a.b]\nx = 1\n\n[a]\ny = 2\n");

        root.GetKeyPosition("a").Should().Be(new TomlPosition(1, 2));
        root["a"].Position.Should().Be(new TomlPosition(4, 1));
        ((TomlTable)root["a"]).GetKeyPosition("b").Should().Be(new TomlPosition(1, 4));
    }

    [Fact]
    public void Crlf_lines_and_multi_line_strings_keep_line_numbers_right()
    {
        TomlTable root = TomlText.Parse("a = \"\"\"\r\none\r\ntwo\"\"\"\r\n\"é\" = 'x'\r\n");

        root["a"].Position.Should().Be(new TomlPosition(1, 5));
        root.GetKeyPosition("é").Should().Be(new TomlPosition(4, 1));
        root["é"].Position.Should().Be(new TomlPosition(4, 7));
    }
}
