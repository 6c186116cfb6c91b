using System.Text.Json;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Cli;

/// <summary>The status file written by the real daemon, read back with <c>inosync status</c> as monitoring would.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly TempTree _dir = new("inosync-it-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Running_daemon_shows_every_node_and_exits_0_then_69_once_stopped()
    {
        await using var s = await StartAsync();
        // Written at most once a second: right after "ready" the file may still say "starting".
        CliResult result = await WaitForStatusAsync(s, r => r.ExitCode == 0 && r.StdOut.Contains(", running;", StringComparison.Ordinal)
            && !r.StdOut.Contains("never", StringComparison.Ordinal));

        result.StdOut.Should().Contain($"pid {s.Daemon.Pid}, running").And.Contain(s.Targets[0]).And.Contain(s.Targets[1])
            .And.Contain("OK: 2 nodes healthy");

        CliResult json = await InosyncProcess.RunAsync("status", "-c", s.ConfigPath, "--json");
        json.ExitCode.Should().Be(0, json.ToString());
        using (var document = JsonDocument.Parse(json.StdOut))
        {
            JsonElement root = document.RootElement;
            root.GetProperty("pid").GetInt32().Should().Be(s.Daemon.Pid);
            root.GetProperty("state").GetString().Should().Be("running");
            JsonElement sync = root.GetProperty("syncs")[0];
            sync.GetProperty("watches").GetInt32().Should().BeGreaterThan(0);
            sync.GetProperty("nodes").EnumerateArray().Should().HaveCount(2).And.AllSatisfy(n =>
            {
                n.GetProperty("batches").GetInt64().Should().BeGreaterThan(0, "the initial sync was a batch");
                n.GetProperty("last_success").ValueKind.Should().Be(JsonValueKind.String);
            });
        }

        await s.Daemon.SignalAsync("TERM");
        (await s.Daemon.WaitForExitAsync(s_timeout)).Should().Be(0);

        CliResult stopped = await InosyncProcess.RunAsync("status", "-c", s.ConfigPath);
        stopped.ExitCode.Should().Be(69, stopped.ToString());
        stopped.StdOut.Should().Contain("NOT RUNNING").And.Contain("stopped at").And.Contain(" stopped ");
    }

    [Fact]
    public async Task Failing_node_makes_status_exit_1_naming_it_until_it_is_back()
    {
        await using var s = await StartAsync();
        string broken = s.Targets[1];

        // Root ignores permission bits: break the node by putting a file where its directory was.
        Directory.Move(broken, broken + ".away");
        File.WriteAllText(broken, "not a directory");
        File.WriteAllText(s.Src("while-broken.txt"), "1");

        // Between retries the node is "retrying"; during an attempt it is "syncing" (and still failing): wait for the former.
        CliResult failing = await WaitForStatusAsync(s, r => r.ExitCode == 1 && r.StdOut.Contains("retrying", StringComparison.Ordinal));
        failing.StdOut.Should().Contain("FAILING: 1 of 2 nodes: " + broken).And.Contain("retrying").And.Contain("last error");
        CliResult json = await InosyncProcess.RunAsync("status", "-c", s.ConfigPath, "--json");
        json.ExitCode.Should().Be(1);
        json.StdErr.Should().Contain("FAILING");
        JsonDocument.Parse(json.StdOut).Dispose();

        File.Delete(broken);
        Directory.Move(broken + ".away", broken);
        await s.ConvergedAsync(TimeSpan.FromSeconds(90));
        await WaitForStatusAsync(s, r => r.ExitCode == 0, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Killed_daemon_is_reported_as_not_running()
    {
        await using var s = await StartAsync();
        await WaitForStatusAsync(s, r => r.ExitCode == 0);

        await s.Daemon.SignalAsync("KILL");
        await s.Daemon.WaitForExitAsync(s_timeout);

        CliResult result = await InosyncProcess.RunAsync("status", "-c", s.ConfigPath);
        result.ExitCode.Should().Be(69, result.ToString());
        result.StdOut.Should().Contain("NOT RUNNING").And.Contain("is gone without stopping cleanly");
    }

    [Fact]
    public async Task Idle_daemon_does_not_rewrite_the_status_file()
    {
        await using var s = await StartAsync();
        await WaitForStatusAsync(s, r => r.ExitCode == 0 && r.StdOut.Contains(" idle ", StringComparison.Ordinal));
        string file = s.Scratch("run/status.json");
        await Task.Delay(1500); // the last write after the initial sync is due within a second
        DateTime written = File.GetLastWriteTimeUtc(file);

        await Task.Delay(2500);

        File.GetLastWriteTimeUtc(file).Should().Be(written, "nothing changed, so nothing is written (and no timer runs)");
        File.WriteAllText(s.Src("wake-up.txt"), "1");
        (await Eventually.TrueWithinAsync(() => File.GetLastWriteTimeUtc(file) != written, s_timeout)).Should().BeTrue("a change is written");
    }

    [Fact]
    public async Task Without_status_file_in_the_config_status_exits_78_in_one_line()
    {
        _dir.CreateDirectory("src");
        string config = _dir.WriteFile("sync.toml", "wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\n");

        CliResult result = await InosyncProcess.RunAsync("status", "-c", config);

        result.ExitCode.Should().Be(78, result.ToString());
        result.StdErr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("no status_file is set");
    }

    [Fact]
    public async Task Status_file_that_was_never_written_means_not_running()
    {
        string config = _dir.WriteFile("sync.toml", "status_file = \"run/status.json\"\nwpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\n");

        CliResult result = await InosyncProcess.RunAsync("status", "-c", config);

        result.ExitCode.Should().Be(69, result.ToString());
        result.StdErr.Should().Contain(_dir.PathOf("run/status.json")).And.Contain("does not exist");
    }

    [Fact]
    public async Task Unwritable_status_file_stops_the_daemon_at_start_with_exit_73()
    {
        _dir.CreateDirectory("src");
        _dir.WriteFile("run", "a file where the directory should be");
        string config = _dir.WriteFile("sync.toml", "status_file = \"run/status.json\"\nwpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\ncreate_dirs = true\n");

        CliResult result = await InosyncProcess.RunAsync("-c", config);

        result.ExitCode.Should().Be(73, result.ToString());
        result.StdErr.Should().Contain("cannot write the status file");
    }

    private static Task<SyncScenario> StartAsync() =>
        SyncScenario.StartAsync(new ScenarioOptions { GlobalConfig = "status_file = \"run/status.json\"" });

    private static async Task<CliResult> WaitForStatusAsync(SyncScenario s, Func<CliResult, bool> condition, TimeSpan? timeout = null)
    {
        CliResult last = null!;
        var deadline = DateTime.UtcNow + (timeout ?? s_timeout);
        while (DateTime.UtcNow < deadline)
        {
            last = await InosyncProcess.RunAsync("status", "-c", s.ConfigPath);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"inosync status never got there; last: {last}\n{s.Describe("log", [])}");
        return last;
    }
}
