using Inosync.Cli.Logging;
using Inosync.Configuration;
using Inosync.Testing;
using Serilog.Events;

namespace Inosync.Tests.Logging;

/// <summary>A file name written by a hostile user can neither forge log lines nor reach a terminal as an escape sequence.</summary>
public sealed class LogInjectionTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-loginject-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Control_characters_and_raw_bytes_in_logged_names_are_escaped()
    {
        string log = _dir.PathOf("inosync.log");
        string hostile = "a\n2026-01-01 00:00:00.000 +00:00 ERR forged line\u001b[31m\u0085caf\uDCE9";
        (Serilog.Core.Logger logger, _) = LoggingSetup.Create(LogEventLevel.Information, verbose: false, log, LogRotation.External);
        using (logger)
        {
            logger.Warning("cannot sync {Path} to {Nodes}", hostile, new[] { hostile });
        }

        string[] lines = File.ReadAllLines(log);
        lines.Should().ContainSingle();
        const string Escaped = "a\\n2026-01-01 00:00:00.000 +00:00 ERR forged line\\x1b[31m\\x85caf\\xe9";
        // Inside a list Serilog quotes the element and doubles its backslashes.
        lines[0].Should().EndWith($"WRN cannot sync {Escaped} to [\"{Escaped.Replace("\\", "\\\\", StringComparison.Ordinal)}\"]");
    }

    [Theory]
    [InlineData("plain name.txt", "plain name.txt")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("bell\a", "bell\\x07")]
    [InlineData("back\\slash", "back\\slash")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("日本語 🎉", "日本語 🎉")]
    public void Display_form_keeps_printable_text_and_escapes_the_rest(string name, string shown)
    {
        FileNameEncoding.ForDisplay(name).Should().Be(shown);
    }
}
