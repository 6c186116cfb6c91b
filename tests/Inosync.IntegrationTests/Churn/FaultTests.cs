using System.Diagnostics;
using System.Globalization;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Inosync.Testing.RawFiles;
using Xunit.Abstractions;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// Churn with a fault on top: each must still end with every node equal to the source, nothing lost. A failure
/// prints the seed; INOSYNC_CHURN_SEED replays the same operations (docs/reliability.md).
/// </summary>
[Collection(ChurnGroup.Name)]
public sealed class FaultTests(ChurnSshFixture ssh, ITestOutputHelper output)
{
    private static readonly TimeSpan s_convergenceTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Kernel_queue_overflow_while_the_reader_stalls_converges()
    {
        int seed = ChurnSettings.FaultSeed(1);
        int maxQueued = int.Parse(await File.ReadAllTextAsync("/proc/sys/fs/inotify/max_queued_events"), CultureInfo.InvariantCulture);
        await using var churn = await ChurnHarness.StartAsync(
            seed, ChurnSettings.FaultOperations, nameof(Kernel_queue_overflow_while_the_reader_stalls_converges), ssh: null);
        string flood = churn.Scenario.Src("flood");
        Directory.CreateDirectory(flood);
        await churn.RunWorkloadAsync(operations: churn.Operations / 3);

        // While the daemon is stopped (SIGSTOP) it reads nothing: the kernel queue fills up and overflows for real.
        await churn.Scenario.Daemon.SignalAsync("STOP");
        await churn.RunWorkloadAsync(operations: churn.Operations / 3);
        // 3 events per file (create, modify, close-write) and 1 per delete: about twice the kernel's queue, more than
        // the one read the reader may still do before it notices the stall. A quarter of the files stay.
        int files = maxQueued / 2;
        for (int i = 0; i < files; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(flood, $"f{i}"), "x");
        }

        for (int i = 0; i < files; i++)
        {
            if (i % 4 != 0)
            {
                File.Delete(Path.Combine(flood, $"f{i}"));
            }
        }

        await churn.Scenario.Daemon.SignalAsync("CONT");
        await churn.RunWorkloadAsync();
        await churn.Scenario.Daemon.WaitForLogAsync("overflowed", TimeSpan.FromSeconds(60));

        ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
        output.WriteLine($"{result}; max_queued_events {maxQueued}; {churn.Scenario.Daemon.Log.Count(l => l.Contains("Full sync of", StringComparison.Ordinal) && l.Contains("started", StringComparison.Ordinal))} full syncs started");
    }

    [Fact]
    public async Task Daemon_killed_with_sigkill_mid_burst_and_started_again_converges()
    {
        int seed = ChurnSettings.FaultSeed(2);
        await using var churn = await ChurnHarness.StartAsync(
            seed, ChurnSettings.FaultOperations, nameof(Daemon_killed_with_sigkill_mid_burst_and_started_again_converges), ssh.Server);
        int killAt = churn.Operations * 2 / 5;
        InosyncProcess first = churn.Scenario.Daemon;

        // SIGKILL inside a burst: no chance to sync what is pending; changes keep coming while it is down.
        await churn.RunWorkloadAsync(n => { if (n == killAt) { first.Kill(); } }, operations: churn.Operations * 3 / 5);
        (await first.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().Be(137, "SIGKILL ends the process at once (128 + 9)");
        await churn.Scenario.RestartDaemonAsync();

        // The new daemon's initial sync runs while the rest of the workload goes on.
        await churn.RunWorkloadAsync();
        await churn.Scenario.Daemon.WaitForLogAsync("ready", s_convergenceTimeout);

        ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
        int leftovers = churn.Scenario.Daemon.Log.Count(l => l.Contains("left running by an earlier inosync", StringComparison.Ordinal));
        output.WriteLine($"{result}; killed after operation {killAt}; {leftovers} node(s) found an rsync of the killed daemon still running");
    }

    [Fact]
    public async Task Rsync_failing_in_30_percent_of_runs_converges_through_retries()
    {
        int seed = ChurnSettings.FaultSeed(3);
        await using var churn = await ChurnHarness.StartAsync(
            seed, ChurnSettings.FaultOperations, nameof(Rsync_failing_in_30_percent_of_runs_converges_through_retries), ssh.Server,
            o => o with { Rsync = dir => RsyncWrapper.Create(dir, failPercent: 30, seed: seed) });

        await churn.RunWorkloadAsync();

        ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
        result.InjectedFailures.Should().BeGreaterThan(0);
        string log = churn.Scenario.FullLog();
        log.Should().Contain("failed with exit code 12").And.Contain("is back after");
        output.WriteLine($"{result}; {log.Split('\n').Count(l => l.Contains("is back after", StringComparison.Ordinal))} recoveries logged");
    }

    [Fact]
    public async Task A_node_unwritable_for_a_while_converges_once_writable_again()
    {
        int seed = ChurnSettings.FaultSeed(4);
        await using var churn = await ChurnHarness.StartAsync(
            seed, ChurnSettings.FaultOperations, nameof(A_node_unwritable_for_a_while_converges_once_writable_again), ssh: null);
        await churn.RunWorkloadAsync(operations: churn.Operations / 3);

        // Long enough for the node's rsync to fail more than five times in a row (the backoff doubles from 1 s).
        var outage = TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        await using (ReadOnlyNode node = await ReadOnlyNode.MakeAsync(churn.Scenario.Targets[1]))
        {
            output.WriteLine($"unwritable node: {node.Mechanism}");
            await churn.RunWorkloadAsync(operations: churn.Operations / 3);
            await churn.Scenario.Daemon.WaitForLogAsync("failed with exit code", outage);
            if (clock.Elapsed < outage)
            {
                await Task.Delay(outage - clock.Elapsed); // the outage itself, not an assertion
            }
        }

        await churn.RunWorkloadAsync();

        ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
        churn.Scenario.FullLog().Should().Contain("is back after");
        output.WriteLine($"{result}; node unwritable for {outage.TotalSeconds:0} s");
    }

    [Fact]
    public async Task A_burst_that_fills_the_bounded_channel_converges_without_loss()
    {
        int seed = ChurnSettings.FaultSeed(5);
        await using var churn = await ChurnHarness.StartAsync(
            seed, ChurnSettings.Operations, nameof(A_burst_that_fills_the_bounded_channel_converges_without_loss), ssh: null,
            o => o with { ExtraConfig = o.ExtraConfig + "\nqueue_capacity = 16" },
            new ChurnOptions { PauseBetweenBursts = false });

        await churn.RunWorkloadAsync();

        ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
        string full = churn.Scenario.Daemon.Log.LastOrDefault(l => l.Contains("change channel", StringComparison.Ordinal) && l.Contains("is full", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException("the channel never filled: this test proved nothing");
        churn.Scenario.Daemon.LogText.Should().NotContain("overflowed", "backpressure must not cost a kernel overflow at this size");
        output.WriteLine($"{result}; {full}");
    }
}
