using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Inosync.Testing.Migration;

namespace Inosync.IntegrationTests.Cli;

/// <summary><c>inosync convert</c> through the real executable: an old config becomes one <c>inosync check</c> accepts.</summary>
public sealed class ConvertCommandTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-it-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Readme_example_converts_and_the_result_passes_check_once_its_wpath_exists()
    {
        string old = _dir.WriteFile("default.py", LegacyExamples.OriginalReadme021);
        string toml = _dir.PathOf("sync.toml");

        var convert = await InosyncProcess.RunAsync("convert", old, "-o", toml);

        convert.ExitCode.Should().Be(0, convert.ToString());
        string converted = File.ReadAllText(toml);
        converted.Should().Contain("wpath = \"/var/www/\"").And.Contain("rnodes = [\"a.mirror.com:\", \"b.mirror.com:\", \"c.mirror.com:\"]");

        // The one change: the watched directory moves into the test's folder (the test must not create /var/www).
        string wpath = _dir.CreateDirectory("var/www/site");
        File.WriteAllText(toml, converted.Replace("wpath = \"/var/www/\"", $"wpath = \"{wpath}/\"", StringComparison.Ordinal));

        var check = await InosyncProcess.RunAsync("check", "-c", toml);

        check.ExitCode.Should().Be(0, check.ToString());
        check.StdOut.Should().Contain("a.mirror.com:/var/www").And.Contain("c.mirror.com:/var/www").And.Contain("--filter=- /localhost");
    }

    [Fact]
    public async Task Convert_prints_to_stdout_without_output_file()
    {
        string old = _dir.WriteFile("default.py", LegacyExamples.OriginalReadme021);

        var result = await InosyncProcess.RunAsync("convert", old);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().StartWith("# converted from ").And.Contain("rpath = \"/var/www/\"");
    }

    [Fact]
    public async Task Convert_of_a_missing_file_exits_66_and_of_python_it_cannot_read_exits_78()
    {
        var missing = await InosyncProcess.RunAsync("convert", _dir.PathOf("nope.py"));
        missing.ExitCode.Should().Be(66, missing.ToString());
        missing.StdErr.Should().Contain("nope.py");

        var bad = await InosyncProcess.RunAsync("convert", _dir.WriteFile("bad.py", "wpath = os.environ['X']\n"));
        bad.ExitCode.Should().Be(78, bad.ToString());
        bad.StdErr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("bad.py:1:");
    }
}
