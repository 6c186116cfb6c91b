using System.Text;
using Inosync.Configuration;
using Inosync.Tests.Migration.Support;

namespace Inosync.Tests.Migration;

/// <summary>What cannot be converted is refused with one line naming the file, line and column; exit code 78.</summary>
public sealed class ConversionErrorTests
{
    private const string Only = " (only simple assignments of strings, numbers, lists and + are supported)";

    [Theory]
    [InlineData("import os\n", "1:1: cannot convert: an import statement")]
    [InlineData("wpath = '/a'\nfrom os import path\n", "2:1: cannot convert: a from … import statement")]
    [InlineData("wpath = os.path.join('/var', 'www')\n", "1:9: cannot convert: the function call os.path.join(…)")]
    [InlineData("wpath = str('/a')\n", "1:9: cannot convert: the function call str(…)")]
    [InlineData("wpath = os.sep\n", "1:9: cannot convert: the attribute os.sep")]
    [InlineData("rpaths = ['/a']\nrpath = rpaths[0]\n", "2:9: cannot convert: the subscript rpaths[…]")]
    [InlineData("wpath = '/A'.lower()\n", "1:13: cannot convert: the method call .lower(…)")]
    [InlineData("wpath = '/a'\nif wpath:\n    rpath = wpath\n", "2:1: cannot convert: an if statement")]
    [InlineData("for h in ['a', 'b']:\n    pass\n", "1:1: cannot convert: a for loop")]
    [InlineData("while False:\n    pass\n", "1:1: cannot convert: a while loop")]
    [InlineData("def nodes():\n    return []\n", "1:1: cannot convert: a function definition")]
    [InlineData("class Config:\n    pass\n", "1:1: cannot convert: a class definition")]
    [InlineData("try:\n    x = 1\nexcept:\n    pass\n", "1:1: cannot convert: a try statement")]
    [InlineData("with open('f') as f:\n    pass\n", "1:1: cannot convert: a with statement")]
    [InlineData("print 'hello'\n", "1:1: cannot convert: a print statement")]
    [InlineData("print('hello')\n", "1:1: cannot convert: the function call print(…)")]
    [InlineData("del x\n", "1:1: cannot convert: a del statement")]
    [InlineData("edelay = 10 if True else 1\n", "1:13: cannot convert: a conditional expression (… if … else …)")]
    [InlineData("rnodes = [h + ':' for h in hosts]\n", "1:19: cannot convert: a comprehension (… for … in …)")]
    [InlineData("edelay = lambda: 1\n", "1:10: cannot convert: a lambda expression")]
    [InlineData("edelay = 1 or 2\n", "1:12: cannot convert: the operator or")]
    [InlineData("rexcludes = ['a'] * 2\n", "1:19: cannot convert: the operator *")]
    [InlineData("base = '/a'\nwpath = '%s/www' % base\n", "2:18: cannot convert: the operator %")]
    [InlineData("edelay = 10 - 1\n", "1:13: cannot convert: the operator -")]
    [InlineData("edelay = 1 == 1\n", "1:12: cannot convert: the operator ==")]
    [InlineData("x = {'a': 1}\n", "1:5: cannot convert: a dict or set literal {…}")]
    [InlineData("x = 1\nx -= 1\n", "2:3: cannot convert: the augmented assignment -=")]
    [InlineData("a, b = 1, 2\n", "1:1: cannot convert: an assignment to several names at once (a, b = …)")]
    [InlineData("edelay: int = 10\n", "1:1: cannot convert: the annotated assignment edelay: …")]
    [InlineData("wpath = f'/srv/{x}'\n", "1:9: cannot convert: an f-string (formatted string literal)")]
    [InlineData("wpath = b'/srv'\n", "1:9: cannot convert: a bytes literal b\"…\"")]
    [InlineData("edelay = 1j\n", "1:10: cannot convert: the complex number 1j")]
    [InlineData("x = 1\nx\n", "2:1: cannot convert: an expression that is not assigned to a name")]
    public void Unsupported_python_names_what_and_where(string python, string message) =>
        Converted.Reject(python).Message.Should().Be("OLD.py:" + message + Only);

    [Theory]
    [InlineData("  wpath = '/a'\n", "1:3: cannot convert: invalid Python: unexpected indentation (a statement must start in column 1)")]
    [InlineData("wpath = '/var/www\n", "1:9: cannot convert: invalid Python: unterminated string (no closing ' before the end of the line)")]
    [InlineData("x = \"\"\"abc\n", "1:5: cannot convert: invalid Python: unterminated triple-quoted string (no closing \"\"\" before the end of the file)")]
    [InlineData("rnodes = [\n\t'a:',\n", "1:10: cannot convert: invalid Python: '[' is never closed (expected ']' before the end of the file)")]
    [InlineData("x = ]\n", "1:5: cannot convert: invalid Python: unmatched ']'")]
    [InlineData("x = [1, 2)\n", "1:10: cannot convert: invalid Python: ')' does not close the '[' at 1:5 (expected ']')")]
    [InlineData("x = [1 2]\n", "1:8: cannot convert: invalid Python: unexpected '2' in the list")]
    [InlineData("x = 'a' 1\n", "1:9: cannot convert: invalid Python: unexpected '1' after the value")]
    [InlineData("x = \n", "1:5: cannot convert: invalid Python: expected a value, found the end of the line")]
    [InlineData("x = $\n", "1:5: cannot convert: invalid Python: unexpected character '$'")]
    [InlineData("x = 1 \\ 2\n", "1:7: cannot convert: invalid Python: a backslash outside a string must end the line (it joins the next line)")]
    [InlineData("x = '\\x4'\n", "1:6: cannot convert: invalid Python: truncated escape \\x4 (it needs 2 hex digits)")]
    [InlineData("x = 12abc\n", "1:5: cannot convert: invalid Python: '12abc' is not a number")]
    [InlineData("True = 1\n", "1:6: cannot convert: an assignment to True (only to a plain name)" + Only)]
    public void Invalid_python_says_where(string python, string message) =>
        Converted.Reject(python).Message.Should().Be("OLD.py:" + message);

    [Theory]
    [InlineData("rnodes = ['a:' + rpath]\n", "1:18: cannot convert: name 'rpath' is not defined (a name must be assigned before it is used)")]
    [InlineData("x = 'a' + 1\n", "1:9: cannot convert: cannot add a string and an integer (+ joins two strings, two lists or two numbers)")]
    [InlineData("x = ['a'] + ('b',)\n", "1:11: cannot convert: cannot add a list and a tuple (+ joins two strings, two lists or two numbers)")]
    [InlineData("x = -'a'\n", "1:5: cannot convert: unary - needs a number, not a string")]
    [InlineData("edelay = 0755\n", "1:10: cannot convert: the number 0755 has a leading zero: Python 2 read it as octal, Python 3 rejects it (write 0o755 for octal)")]
    [InlineData("x = 99999999999999999999\n", "1:5: cannot convert: the integer 99999999999999999999 is too large (at most 9223372036854775807)")]
    [InlineData("x = '\\ud800'\n", "1:6: cannot convert: escape \\ud800 is a UTF-16 surrogate, which a TOML string cannot hold")]
    [InlineData("x = '\\N{BULLET}'\n", "1:6: cannot convert: \\N{…} escapes are not supported: write the character itself or a \\u escape")]
    public void Values_python_would_reject_or_toml_cannot_hold(string python, string message) =>
        Converted.Reject(python).Message.Should().Be("OLD.py:" + message);

    [Theory]
    [InlineData("wpath = ['/a']\nrnodes = ['h:']\n", "OLD.py:1:9: cannot convert: wpath must be a string, not a list")]
    [InlineData("wpath = '/a'\nrnodes = 'h:'\n", "OLD.py:2:10: cannot convert: rnodes must be a list of strings, not a string")]
    [InlineData("wpath = '/a'\nrnodes = ['a:', 3]\n", "OLD.py:2:17: cannot convert: rnodes[1] must be a string, not an integer")]
    [InlineData("wpath = '/a'\nrnodes = []\n", "OLD.py:2:10: cannot convert: rnodes is empty: there is no node to sync to")]
    [InlineData("wpath = '/a'\n", "OLD.py: cannot convert: rnodes is not assigned: there is no node to sync to")]
    [InlineData("rnodes = ['h:']\n", "OLD.py: cannot convert: neither wpath nor wpaths is assigned: there is no directory to watch")]
    [InlineData("wpath = '/a'\nwpaths = ['/b']\nrnodes = ['h:']\n",
        "OLD.py:2:1: cannot convert: both wpath and wpaths are assigned, and the Python inosync read only one of them (wpath: inosync itself; wpaths: the forks that sync several trees): delete the one your version ignored")]
    [InlineData("wpaths = ['/a']\nrnodes = ['h:']\n",
        "OLD.py:1:1: cannot convert: wpaths is assigned but rpaths is not: the daemon synced each wpaths entry to the rpaths entry at the same place")]
    [InlineData("wpaths = ['/a', '/b']\nrpaths = ['/x']\nrnodes = ['h:']\n", "OLD.py:2:10: cannot convert: rpaths has 1 entries and wpaths 2: they pair up one to one")]
    [InlineData("wpath = '/a'\nrpaths = ['/x']\nrnodes = ['h:']\n", "OLD.py:2:1: cannot convert: rpaths goes with wpaths, but this file assigns wpath: use rpath, or wpaths with rpaths")]
    [InlineData("wpaths = ['/a', '/b']\nrpaths = ['/x', '/y']\nrnodes = ['h:']\nrexcludes = [['x']]\n",
        "OLD.py:4:13: cannot convert: rexcludes has 1 lists of patterns and there are 2 watched paths: give one list per wpath, or one list of patterns for all")]
    [InlineData("wpath = '/a'\nrnodes = ['h:']\nextra = \"--rsh='ssh -p 22\"\n", "OLD.py:3:9: cannot convert: extra \"--rsh='ssh -p 22\": it has an unclosed ' quote")]
    [InlineData("wpath = '/a'\nrnodes = ['h:']\nextra = 5\n", "OLD.py:3:9: cannot convert: extra must be a string of rsync options or a list of them, not an integer")]
    [InlineData("wpath = '/a'\nrnodes = ['h:']\nrspeed = 1.5\n", "OLD.py:3:10: cannot convert: rspeed must be a whole number of KB/s, not 1.5")]
    [InlineData("wpath = '/a'\nrnodes = ['h:']\nrspeed = '100'\n", "OLD.py:3:10: cannot convert: rspeed must be a number of KB/s, not a string")]
    [InlineData("wpath = '/a'\nrnodes = ['h:']\nedelay = None\n", "OLD.py:3:10: cannot convert: edelay must be a number of seconds, not None")]
    public void Settings_of_the_wrong_shape_say_where(string python, string message) =>
        Converted.Reject(python).Message.Should().Be(message);

    [Theory]
    [InlineData("import os\nwpath = '/unterminated\n", "OLD.py:1:1: cannot convert: an import statement" + Only)]
    [InlineData("x = 1\n  y = 2\nimport os\n", "OLD.py:2:3: cannot convert: invalid Python: unexpected indentation (a statement must start in column 1)")]
    public void The_first_problem_in_the_file_is_the_one_reported(string python, string message) =>
        Converted.Reject(python).Message.Should().Be(message);

    [Fact]
    public void Every_conversion_error_exits_with_78()
    {
        Converted.Reject("import os\n").ExitCode.Should().Be(ExitCode.Config);
        Converted.Reject("x = '\n").ExitCode.Should().Be(ExitCode.Config);
        Converted.Reject("wpath = 1\nrnodes = ['h:']\n").ExitCode.Should().Be(ExitCode.Config);
    }

    [Fact]
    public void A_file_that_is_not_utf8_says_where_the_bad_byte_is()
    {
        byte[] latin1 = [.. Encoding.ASCII.GetBytes("wpath = '/srv/caf"), 0xE9, .. Encoding.ASCII.GetBytes("'\n")];

        Converted.Reject(latin1).Message.Should().Be(
            "OLD.py:1:18: cannot convert: invalid Python: byte 0xE9 is not UTF-8 (re-encode the file, e.g. iconv -f latin1 -t utf-8)");
    }
}
