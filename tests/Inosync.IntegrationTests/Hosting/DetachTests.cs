using System.Globalization;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Hosting;

/// <summary>
/// <c>inosync -d</c>: returns 0 once the detached daemon runs (its own session, its pid in pid_file, logging to
/// log_file, syncing), and an error before that is the command's exit code and message.
/// </summary>
public sealed class DetachTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly TempTree _dir = new("inosync-detach-");
    private readonly List<int> _started = [];

    public DetachTests()
    {
        _dir.CreateDirectory("src");
        _dir.CreateDirectory("dst");
    }

    public void Dispose()
    {
        foreach (int pid in _started)
        {
            Stop(pid);
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Returns_once_the_daemon_runs_in_a_session_of_its_own_and_syncs()
    {
        string config = Config("log_file = \"inosync.log\"\npid_file = \"inosync.pid\"\n");

        var result = await InosyncProcess.RunAsync(["-d", "-c", config], s_timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().BeEmpty();
        int pid = int.Parse(File.ReadAllText(_dir.PathOf("inosync.pid")).Trim(), CultureInfo.InvariantCulture);
        _started.Add(pid);
        Directory.Exists($"/proc/{pid}").Should().BeTrue("the daemon runs on after the command returned");
        string[] stat = File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ');
        stat[3].Should().Be(pid.ToString(CultureInfo.InvariantCulture), "it leads a session of its own (setsid)");
        new FileInfo($"/proc/{pid}/fd/1").LinkTarget.Should().Be("/dev/null");

        File.WriteAllText(_dir.PathOf("src/f"), "synced by the detached daemon");
        (await Eventually.TrueWithinAsync(() => File.Exists(_dir.PathOf("dst/f")), s_timeout)).Should().BeTrue(File.ReadAllText(_dir.PathOf("inosync.log")));
        File.ReadAllText(_dir.PathOf("inosync.log")).Should().Contain("started with");

        Stop(pid);
        File.ReadAllText(_dir.PathOf("inosync.log")).Should().Contain("inosync stopped");
    }

    [Fact]
    public async Task Without_a_log_file_it_refuses_to_start()
    {
        var result = await InosyncProcess.RunAsync(["-d", "-c", Config("")], s_timeout);

        result.ExitCode.Should().Be(64, result.ToString());
        result.StdErr.Should().Contain("-d/--daemon needs a log file");
    }

    [Fact]
    public async Task A_failure_in_the_detached_daemon_before_it_runs_is_the_commands_exit_code_and_message()
    {
        string config = Config("log_file = \"inosync.log\"\npid_file = \"inosync.pid\"\n");
        var first = await InosyncProcess.RunAsync(["-d", "-c", config], s_timeout);
        first.ExitCode.Should().Be(0, first.ToString());
        _started.Add(int.Parse(File.ReadAllText(_dir.PathOf("inosync.pid")).Trim(), CultureInfo.InvariantCulture));

        var second = await InosyncProcess.RunAsync(["-d", "-c", config], s_timeout);

        second.ExitCode.Should().Be(73, second.ToString());
        second.StdErr.Should().Contain("inosync.pid").And.Contain("running");
    }

    private string Config(string more) => _dir.WriteFile("sync.toml", $"wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\n{more}");

    // SIGTERM to a daemon this test started (by the pid it wrote), then wait until it is gone.
    private static void Stop(int pid)
    {
        if (IsGone(pid))
        {
            return;
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        Eventually.TrueWithinAsync(() => IsGone(pid), s_timeout).GetAwaiter().GetResult().Should().BeTrue();
    }

    // Gone, or a zombie: whoever adopted it (init, or no reaper at all in some containers) has yet to reap it.
    private static bool IsGone(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
