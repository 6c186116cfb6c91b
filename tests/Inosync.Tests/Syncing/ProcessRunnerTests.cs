using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Inosync.Processes;
using Inosync.Rsync;
using Inosync.Testing;

namespace Inosync.Tests.Syncing;

[SupportedOSPlatform("linux")]
public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner _runner = new(TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Stdin_is_written_and_closed_and_stdout_captured()
    {
        var result = await _runner.RunAsync("/bin/cat", [], Encoding.UTF8.GetBytes("hello\0world"), CancellationToken.None);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Be("hello\0world");
        result.Started.Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("input for the child")]
    public async Task The_pipes_to_the_child_are_closed_when_the_run_returns_not_when_the_gc_runs(string input)
    {
        // The child names its three pipes; none of them may still be open in this process afterwards.
        var result = await _runner.RunAsync("/bin/sh", ["-c", "cat >/dev/null; readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2"], Encoding.UTF8.GetBytes(input), CancellationToken.None);
        string[] childPipes = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        childPipes.Should().HaveCount(3).And.OnlyContain(p => p.StartsWith("pipe:", StringComparison.Ordinal));

        var stillOpen = new List<string>();
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && childPipes.Contains(target))
                {
                    stillOpen.Add($"{Path.GetFileName(fd)} -> {target} (child fd {Array.IndexOf(childPipes, target)})");
                }
            }
            catch (IOException)
            {
                // Closed meanwhile.
            }
        }

        stillOpen.Should().BeEmpty("every pipe to the child is closed by the time RunAsync returns");
    }

    [Fact]
    public async Task Arguments_are_passed_verbatim_without_a_shell()
    {
        string[] arguments = ["a b", "$HOME", "it's", "new\nline", "*", ""];

        var result = await _runner.RunAsync("/usr/bin/printf", ["%s|", .. arguments], ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        result.StandardOutput.Should().Be(string.Join("", arguments.Select(a => a + "|")));
    }

    [Fact]
    public async Task Large_output_on_both_streams_is_drained_and_bounded()
    {
        // 4 MB on each stream while stdin is still being written: any sequential read/write would deadlock.
        var input = new byte[4 * 1024 * 1024];
        var result = await _runner.RunAsync(
            "/bin/sh",
            ["-c", "cat >/dev/null & head -c 4194304 /dev/zero | tr '\\0' o; head -c 4194304 /dev/zero | tr '\\0' e >&2; echo; echo last line; wait"],
            input,
            CancellationToken.None);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().EndWith("last line\n");
        result.StandardOutput.Length.Should().BeLessThan(64 * 1024);
        result.StandardError.Should().StartWith("eeee");
        result.StandardError.Length.Should().BeLessThan(16 * 1024);
    }

    [Fact]
    public async Task A_grandchild_holding_the_pipes_does_not_delay_the_result()
    {
        // Like an ssh ControlPersist master that keeps rsync's stderr open after rsync exits.
        var stopwatch = Stopwatch.StartNew();
        var result = await _runner.RunAsync("/bin/sh", ["-c", "sleep 3 & echo done; echo oops >&2"], ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Be("done\n");
        result.StandardError.Should().Be("oops\n");
    }

    [Fact]
    public async Task Exit_code_and_stderr_are_reported()
    {
        var result = await _runner.RunAsync("/bin/sh", ["-c", "echo first problem >&2; echo second >&2; exit 23"], ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        result.ExitCode.Should().Be(23);
        result.FirstErrorLine.Should().Be("first problem");
    }

    [Fact]
    public async Task Missing_binary_is_a_result_not_an_exception()
    {
        var result = await _runner.RunAsync("/nonexistent/rsync", ["-a"], ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        result.Started.Should().BeFalse();
        result.ExitCode.Should().Be(ProcessResult.NotStartedExitCode);
        result.StartError.Should().Be("rsync not found at /nonexistent/rsync");
        RsyncExitCodes.Classify(result.ExitCode).Should().Be(RsyncOutcome.NotStarted);
    }

    [Fact]
    public async Task Missing_binary_on_path_says_so()
    {
        var result = await _runner.RunAsync("no-such-rsync-binary", [], ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        result.StartError.Should().Be("no-such-rsync-binary not found on PATH");
    }

    [Fact]
    public async Task Cancellation_terminates_the_whole_tree()
    {
        using var marker = new TempTree();
        var pidFile = marker.PathOf("grandchild.pid");

        // The child ignores SIGTERM, so the runner must fall back to SIGKILL; its grandchild must die too.
        var runner = new ProcessRunner(TimeSpan.FromMilliseconds(300));
        using var cancel = new CancellationTokenSource();
        var run = runner.RunAsync("/bin/sh", ["-c", $"trap '' TERM; sleep 60 & echo $! > '{pidFile}'; wait"], ReadOnlyMemory<byte>.Empty, cancel.Token);
        await WaitUntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'));
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var stopwatch = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        IsAlive(grandchild).Should().BeFalse("the grandchild (think: rsync's ssh) must not outlive the run");
    }

    [Fact]
    public async Task Cancellation_sends_sigterm_first()
    {
        using var marker = new TempTree();
        var termFile = marker.PathOf("got-term");
        using var cancel = new CancellationTokenSource();
        var run = _runner.RunAsync("/bin/sh", ["-c", $"trap 'echo term > \"{termFile}\"; exit 20' TERM; echo ready; while :; do sleep 0.05; done"], ReadOnlyMemory<byte>.Empty, cancel.Token);
        await Task.Delay(300);

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => run).Should().ThrowAsync<OperationCanceledException>();

        File.Exists(termFile).Should().BeTrue("a process gets the chance to clean up before SIGKILL");
    }

    [Fact]
    public async Task Already_cancelled_token_starts_nothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => _runner.RunAsync("/bin/true", [], ReadOnlyMemory<byte>.Empty, cancel.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    private static bool IsAlive(int pid)
    {
        // A zombie is dead for our purpose (its parent, the killed shell, is gone and init reaps it).
        var stat = "/proc/" + pid + "/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met");
            }

            await Task.Delay(20);
        }
    }
}
