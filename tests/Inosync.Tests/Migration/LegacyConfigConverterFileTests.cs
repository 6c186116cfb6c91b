using Inosync.Configuration;
using Inosync.Migration;
using Inosync.Tests.Migration.Support;

using Inosync.Testing.Migration;

namespace Inosync.Tests.Migration;

/// <summary>Reading the old file: a missing or unreadable file is exit code 66, as for the daemon's own config.</summary>
public sealed class LegacyConfigConverterFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("inosync-convert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_file_converts_and_the_header_names_it_as_given()
    {
        string path = Path.Combine(_directory, "default.py");
        File.WriteAllText(path, LegacyExamples.OriginalReadme021);

        string toml = LegacyConfigConverter.ConvertFile(path);

        toml.Should().StartWith($"# converted from {path} by inosync convert\n");
        Converted.Parse(toml).String("wpath").Should().Be("/var/www/");
    }

    [Fact]
    public void A_missing_file_is_no_input()
    {
        string path = Path.Combine(_directory, "missing.py");

        var error = FluentActions.Invoking(() => LegacyConfigConverter.ConvertFile(path)).Should().Throw<ConfigException>().Which;

        error.Message.Should().Be($"{path}: cannot read the file: no such file or directory");
        error.ExitCode.Should().Be(ExitCode.NoInput);
    }

    [Fact]
    public void A_directory_is_no_input()
    {
        var error = FluentActions.Invoking(() => LegacyConfigConverter.ConvertFile(_directory)).Should().Throw<ConfigException>().Which;

        error.Message.Should().Be($"{_directory}: cannot read the file: it is a directory");
        error.ExitCode.Should().Be(ExitCode.NoInput);
    }

    [Fact]
    public void An_error_names_the_file_as_given()
    {
        string path = Path.Combine(_directory, "bad.py");
        File.WriteAllText(path, "import os\n");

        var error = FluentActions.Invoking(() => LegacyConfigConverter.ConvertFile(path)).Should().Throw<ConfigException>().Which;

        error.Message.Should().StartWith($"{path}:1:1: cannot convert: an import statement");
        error.ExitCode.Should().Be(ExitCode.Config);
    }
}
