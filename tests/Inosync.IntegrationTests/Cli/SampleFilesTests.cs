using System.Diagnostics;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Cli;

/// <summary>samples/inosync-nohup.sh, inosync.logrotate and inosync.service, run or verified with the real tools.</summary>
public sealed class SampleFilesTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly TempTree _dir = new("inosync-it-");

    public void Dispose()
    {
        // A failed test must not leave a daemon started by the script running.
        if (File.Exists(_dir.PathOf("nohup.pid")) && int.TryParse(File.ReadAllText(_dir.PathOf("nohup.pid")).Trim(), out int pid))
        {
            try
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (Exception)
            {
                // Already gone.
            }
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Nohup_script_starts_reports_and_stops_the_daemon_through_its_pid_file()
    {
        _dir.CreateDirectory("src");
        File.WriteAllText(_dir.PathOf("src/file.txt"), "1");
        string config = _dir.WriteFile("sync.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\ncreate_dirs = true\nstatus_file = \"run/status.json\"\n");
        var environment = Environment(config);

        var started = await RunScriptAsync(environment, "start");
        started.ExitCode.Should().Be(0, started.ToString());
        started.StdErr.Should().Contain("started (pid ");
        int pid = int.Parse(File.ReadAllText(_dir.PathOf("nohup.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        (await Eventually.TrueWithinAsync(() => File.Exists(_dir.PathOf("dst/file.txt")), s_timeout)).Should().BeTrue("the daemon runs in the background");

        (await RunScriptAsync(environment, "start")).StdErr.Should().Contain($"already running (pid {pid})");
        var deadline = DateTime.UtcNow + s_timeout;
        CliResult status;
        while (!((status = await RunScriptAsync(environment, "status")).ExitCode == 0 && status.StdOut.Contains(", running;", StringComparison.Ordinal)))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, status.ToString());
            await Task.Delay(200);
        }

        status.StdErr.Should().Contain($"running (pid {pid})");

        var stopped = await RunScriptAsync(environment, "stop");
        stopped.ExitCode.Should().Be(0, stopped.ToString());
        stopped.StdErr.Should().Contain($"stopped (pid {pid})");
        Directory.Exists($"/proc/{pid}").Should().BeFalse("stop waits until the daemon has exited");
        File.Exists(_dir.PathOf("nohup.pid")).Should().BeFalse();
        File.ReadAllText(_dir.PathOf("nohup.out")).Should().Contain("inosync stopped");
        (await RunScriptAsync(environment, "status")).ExitCode.Should().Be(3);
    }

    [Fact]
    public async Task Nohup_script_refuses_to_start_on_a_bad_config_with_its_exit_code()
    {
        string config = _dir.WriteFile("sync.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nrspeeed = 1\n");

        var result = await RunScriptAsync(Environment(config), "start");

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Should().Contain("rspeeed");
        File.Exists(_dir.PathOf("nohup.pid")).Should().BeFalse();
    }

    [Fact]
    public async Task Logrotate_snippet_rotates_the_log_and_the_daemon_reopens_it()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            GlobalConfig = "log_file = \"log/inosync.log\"\nlog_rotate = \"external\"\npid_file = \"run/inosync.pid\"",
        });
        string log = s.Scratch("log/inosync.log");
        (await Eventually.TrueWithinAsync(() => File.Exists(log) && new FileInfo(log).Length > 0, s_timeout)).Should().BeTrue();
        string snippet = File.ReadAllText(Repository.PathOf("samples/inosync.logrotate"))
            .Replace("/var/log/inosync/inosync.log", log, StringComparison.Ordinal)
            .Replace("/run/inosync/inosync.pid", s.Scratch("run/inosync.pid"), StringComparison.Ordinal);
        string conf = _dir.WriteFile("logrotate.conf", snippet);

        var rotate = await RunAsync("/usr/sbin/logrotate", ["--force", "--state", _dir.PathOf("logrotate.state"), conf], null);

        rotate.ExitCode.Should().Be(0, rotate.ToString());
        File.Exists(log + ".1").Should().BeTrue("logrotate moved the file (compressed only at the next rotation)");
        (await Eventually.TrueWithinAsync(() => File.Exists(log), s_timeout)).Should().BeTrue("postrotate's SIGHUP made inosync open the path again");
        (await s.Daemon.WaitForLogAsync("SIGHUP: log file reopened")).Should().NotBeNull();
        s.Daemon.HasExited.Should().BeFalse();
    }

    [Fact]
    public async Task Systemd_unit_verifies_without_warnings()
    {
        string unit = File.ReadAllText(Repository.PathOf("samples/inosync.service"))
            .Replace("/usr/local/bin/inosync", InosyncProcess.ExecutablePath, StringComparison.Ordinal);
        string path = _dir.WriteFile("inosync.service", unit);

        unit.Should().Contain("Restart=on-failure").And.MatchRegex("(?m)^Type=notify$").And.MatchRegex("(?m)^NotifyAccess=main$").And.Contain("ExecReload=/bin/kill -HUP $MAINPID");
        unit.Should().MatchRegex(@"(?m)^RestartPreventExitStatus=.*\b71\b", "a restart after the watched file system went away would full-sync what is left");
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            return; // Without systemd there is nothing more to ask; Debian and Ubuntu CI images have it.
        }

        var result = await RunAsync("/usr/bin/systemd-analyze", ["verify", path], null);
        result.ExitCode.Should().Be(0, result.ToString());
        result.StdErr.Should().BeEmpty("systemd warns about unknown keys and bad values on stderr");
    }

    private Dictionary<string, string> Environment(string config) => new()
    {
        ["INOSYNC"] = InosyncProcess.ExecutablePath,
        ["INOSYNC_CONFIG"] = config,
        ["INOSYNC_PIDFILE"] = _dir.PathOf("nohup.pid"),
        ["INOSYNC_OUTPUT"] = _dir.PathOf("nohup.out"),
        ["INOSYNC_STOP_TIMEOUT"] = "60",
    };

    private static Task<CliResult> RunScriptAsync(IReadOnlyDictionary<string, string> environment, string command) =>
        RunAsync("/bin/sh", [Repository.PathOf("samples/inosync-nohup.sh"), command], environment);

    private static async Task<CliResult> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
