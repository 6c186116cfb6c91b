using System.Text;
using Inosync.Migration;
using Inosync.Tests.Migration.Support;

namespace Inosync.Tests.Migration;

/// <summary>The supported subset of Python is read with Python's meaning.</summary>
public sealed class PythonConfigReaderTests
{
    private static PyValue Value(string python, string name = "x") =>
        Converted.Read(python)[name].Should().NotBeNull().And.Subject.As<LegacySetting>().Value;

    private static string StringValue(string python, string name = "x") =>
        Value(python, name).Should().BeOfType<PyString>().Which.Value;

    private static IReadOnlyList<string> StringItems(string python, string name = "x") =>
        [.. Value(python, name).Should().BeOfType<PyList>().Which.Items.Select(i => i.Should().BeOfType<PyString>().Which.Value)];

    [Theory]
    [InlineData("x = \"a\" + 'b'\n", "ab")]
    [InlineData("x = \"a\" 'b' \"\"\"c\"\"\"\n", "abc")]                 // implicit concatenation
    [InlineData("r = \"/var/www/\"\nx = \"host:\" + r + \"sub\"\n", "host:/var/www/sub")]
    [InlineData("x = (\"a\"\n     + \"b\")\n", "ab")]                     // implicit line joining in parentheses
    [InlineData("x = \"a\" + \\\n    \"b\"\n", "ab")]                      // explicit line joining
    [InlineData("x = 'it''s'\n", "its")]
    [InlineData("x = \"it's\"\n", "it's")]
    [InlineData("x = 'say \"hi\"'\n", "say \"hi\"")]
    [InlineData("x = \"# not a comment\" # a comment\n", "# not a comment")]
    [InlineData("x = '''one\ntwo'''\n", "one\ntwo")]
    [InlineData("x = \"a\"\nx += \"b\"\n", "ab")]
    public void Strings_concatenate_with_plus_and_by_adjacency(string python, string expected) =>
        StringValue(python).Should().Be(expected);

    [Theory]
    [InlineData(@"x = 'a\tb\nc'", "a\tb\nc")]
    [InlineData(@"x = '\x41\101\u00e9\U0001F600'", "AAé😀")]
    [InlineData("x = '\\\\ \\' \\\"'", "\\ ' \"")]
    [InlineData(@"x = '\d'", "\\d")]                                      // unknown escapes stay, as in Python
    [InlineData(@"x = r'C:\new\'q'", "C:\\new\\'q")]                       // raw: backslashes stay
    [InlineData(@"x = u'é' + U'ü' + ur'\n'", "éü\\n")]                    // Python 2 prefixes
    [InlineData("x = 'a\\\nb'", "ab")]                                     // backslash-newline inside a string
    public void String_escapes_mean_what_they_mean_in_python(string python, string expected) =>
        StringValue(python + "\n").Should().Be(expected);

    [Fact]
    public void Multi_line_lists_allow_comments_blank_lines_and_a_trailing_comma()
    {
        const string Python = "x = [\n\t\"a\", # first\n\n  # a comment line\n\t'b',\n]\n";

        StringItems(Python).Should().Equal("a", "b");
    }

    [Theory]
    [InlineData("x = ('a', 'b')\n")]
    [InlineData("x = 'a', 'b'\n")]
    [InlineData("x = ('a',) + ('b',)\n")]
    [InlineData("x = ['a'] + ['b']\n")]
    [InlineData("x = []\nx += ['a', 'b',]\n")]
    [InlineData("y = ['a']\nx = y + ['b']\n")]
    public void Lists_and_tuples_hold_items_and_join_with_plus(string python) =>
        StringItems(python).Should().Equal("a", "b");

    [Fact]
    public void Parentheses_around_one_value_are_grouping_and_empty_ones_a_tuple()
    {
        Value("x = ('a')\n").Should().BeOfType<PyString>();
        Value("x = ()\n").Should().BeOfType<PyList>().Which.Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData("x = 10\n", 10L)]
    [InlineData("x = -1\n", -1L)]
    [InlineData("x = 1_000\n", 1000L)]
    [InlineData("x = 0x10\n", 16L)]
    [InlineData("x = 0o17\n", 15L)]
    [InlineData("x = 0b11\n", 3L)]
    [InlineData("x = 10L\n", 10L)]                                         // Python 2 long
    [InlineData("x = 0\n", 0L)]
    [InlineData("x = 2 + 3\n", 5L)]
    public void Integers(string python, long expected) =>
        Value(python).Should().BeOfType<PyInteger>().Which.Value.Should().Be(expected);

    [Theory]
    [InlineData("x = 2.5\n", 2.5)]
    [InlineData("x = .5\n", 0.5)]
    [InlineData("x = 1e3\n", 1000.0)]
    [InlineData("x = 1.5e-1\n", 0.15)]
    [InlineData("x = -0.25\n", -0.25)]
    [InlineData("x = 1 + 0.5\n", 1.5)]
    public void Floats(string python, double expected) =>
        Value(python).Should().BeOfType<PyFloat>().Which.Value.Should().Be(expected);

    [Fact]
    public void Constants_are_values()
    {
        Value("x = True\n").Should().BeOfType<PyBool>().Which.Value.Should().BeTrue();
        Value("x = False\n").Should().BeOfType<PyBool>().Which.Value.Should().BeFalse();
        Value("x = None\n").Should().BeOfType<PyNone>();
    }

    [Fact]
    public void The_last_assignment_wins_and_the_order_is_that_of_first_assignment()
    {
        var config = Converted.Read("b = 1\na = 2; b = 3\nc = d = 'x'\n");

        config.Settings.Select(s => s.Name).Should().Equal("b", "a", "c", "d");
        config["b"]!.Value.Should().BeOfType<PyInteger>().Which.Value.Should().Be(3);
        config["d"]!.Value.Should().BeOfType<PyString>().Which.Value.Should().Be("x");
    }

    [Fact]
    public void A_name_used_by_another_assignment_is_marked_as_referenced()
    {
        var config = Converted.Read("rpath = '/a'\nrnodes = ['h:' + rpath]\nother = 1\n");

        config["rpath"]!.IsReferenced.Should().BeTrue();
        config["other"]!.IsReferenced.Should().BeFalse();
        config["rnodes"]!.Value.Should().BeOfType<PyList>().Which.Items[0]
            .Should().BeOfType<PyString>().Which.IsBuiltFrom("rpath").Should().BeTrue();
    }

    [Fact]
    public void Docstrings_comments_and_blank_lines_are_ignored()
    {
        var config = Converted.Read("#!/usr/bin/python\n\"\"\"inosync config\"\"\"\n\n   # indented comment\nx = 1 ; \n");

        config.Settings.Should().ContainSingle(s => s.Name == "x");
    }

    [Fact]
    public void Crlf_and_a_bom_are_read_like_python_reads_them()
    {
        byte[] bytes = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("a = [\r\n 'x',\r\n]\r\nb = 'y'\r")];

        var config = PythonConfigReader.Read(bytes, "OLD.py");

        config["a"]!.Value.Should().BeOfType<PyList>().Which.Items.Should().ContainSingle();
        config["b"]!.Position.Should().Be(new PyPosition(4, 1));
        config["b"]!.Value.Position.Should().Be(new PyPosition(4, 5));
    }

    [Fact]
    public void Positions_count_unicode_scalar_values()
    {
        var config = Converted.Read("a = '😀é'; b = 1\n");

        config["b"]!.Value.Position.Should().Be(new PyPosition(1, 15));
    }
}
