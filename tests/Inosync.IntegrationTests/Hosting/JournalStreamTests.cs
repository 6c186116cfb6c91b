using System.Diagnostics;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Hosting;

/// <summary>
/// Log lines for the journal: when JOURNAL_STREAM names the stream stderr is (its device and inode, as systemd sets
/// it), every line starts with its syslog priority and carries no timestamp; otherwise the usual format.
/// </summary>
public sealed class JournalStreamTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly TempTree _dir = new("inosync-journal-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Lines_carry_the_syslog_priority_when_stderr_is_the_journal_stream()
    {
        string stderr = _dir.WriteFile("stderr", "");
        string stream = (await Shell.RunAsync("stat -c %d:%i \"$1\"", stderr)).Trim();

        string[] lines = await RunUntilReadyAsync(stderr, stream);

        lines.Should().Contain(l => l.StartsWith("<4>Filter rule: ", StringComparison.Ordinal) && l.Contains("can never match", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("<6>inosync ready", StringComparison.Ordinal));
        lines.Should().OnlyContain(l => l.Length > 3 && l[0] == '<' && l[2] == '>', "every line has its priority and nothing before it");
    }

    [Fact]
    public async Task Lines_keep_their_timestamp_when_journal_stream_names_another_stream()
    {
        string stderr = _dir.WriteFile("stderr", "");

        string[] lines = await RunUntilReadyAsync(stderr, "1:2");

        lines.Should().Contain(l => l.Contains(" WRN Filter rule: ", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains(" INF inosync ready", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.StartsWith('<'));
    }

    // The daemon with stderr on a file and JOURNAL_STREAM as given; stopped with SIGTERM once ready.
    private async Task<string[]> RunUntilReadyAsync(string stderr, string journalStream)
    {
        _dir.CreateDirectory("src");
        _dir.CreateDirectory("dst");
        string config = _dir.WriteFile("sync.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nfilter = ['- [x']\n");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string argument in (string[])["-c", "exec \"$1\" -c \"$2\" 2>\"$3\"", "sh", InosyncProcess.ExecutablePath, config, stderr])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["JOURNAL_STREAM"] = journalStream;
        using var daemon = Process.Start(start)!;
        try
        {
            bool ready = await Eventually.TrueWithinAsync(() => File.ReadAllText(stderr).Contains("inosync ready", StringComparison.Ordinal), s_timeout);
            ready.Should().BeTrue(File.ReadAllText(stderr));
            using var kill = Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            await daemon.WaitForExitAsync().WaitAsync(s_timeout);
            daemon.ExitCode.Should().Be(0, File.ReadAllText(stderr));
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill();
            }
        }

        return File.ReadAllLines(stderr);
    }
}
