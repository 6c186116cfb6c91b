using System.Diagnostics;
using System.Globalization;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Inosync.Testing.Servers;

namespace Inosync.IntegrationTests.Churn;

/// <summary>What one churn run measured.</summary>
internal sealed record ChurnResult(int Seed, int Operations, TimeSpan WorkloadTime, TimeSpan Convergence, int RsyncRuns, int InjectedFailures, string Summary)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"seed {Seed}: {Operations} ops in {WorkloadTime.TotalSeconds:0.0} s, converged {Convergence.TotalSeconds:0.0} s after the last op, {RsyncRuns} rsync runs ({InjectedFailures} injected failures); {Summary}");
}

/// <summary>
/// One seeded churn run against the real daemon: a <see cref="SyncScenario"/> (two local nodes, plus an ssh node when
/// sshd is available, rsync behind a counting wrapper), a <see cref="ChurnWorkload"/>, and the final check that every
/// node equals the source byte for byte (file times included), with everything needed to replay a failure.
/// </summary>
internal sealed class ChurnHarness : IAsyncDisposable
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(1.5);

    private readonly string _test;
    private readonly Stopwatch _clock = new();
    private TimeSpan _workloadTime;

    private ChurnHarness(SyncScenario scenario, ChurnWorkload workload, int operations, string test)
    {
        Scenario = scenario;
        Workload = workload;
        Operations = operations;
        _test = test;
    }

    public SyncScenario Scenario { get; }

    public ChurnWorkload Workload { get; }

    public int Operations { get; }

    /// <summary>The seed-derived configuration, for reports.</summary>
    public string Variant { get; private init; } = "";

    /// <summary>Starts the daemon on an empty tree and waits until it is ready.</summary>
    /// <param name="seed">The workload's seed.</param>
    /// <param name="operations">How many operations <see cref="RunWorkloadAsync"/> applies.</param>
    /// <param name="test">The test's name, for the replay hint.</param>
    /// <param name="ssh">An sshd for a third node, or null.</param>
    /// <param name="configure">Adjusts the scenario (config, environment, rsync wrapper).</param>
    /// <param name="workloadOptions">Adjusts the workload.</param>
    public static async Task<ChurnHarness> StartAsync(
        int seed,
        int operations,
        string test,
        SshServer? ssh,
        Func<ScenarioOptions, ScenarioOptions>? configure = null,
        ChurnOptions? workloadOptions = null)
    {
        var variant = ChurnConfig.For(seed);
        var options = new ScenarioOptions
        {
            // Debug: every change and every rsync command line, so a failure's saved log tells what happened.
            ExtraConfig = "log_level = \"debug\"\n" + variant.Toml,
            ExcludedFromNodes = ChurnConfig.IsExcluded,
            Targets = 2,
            Ssh = ssh,
            Rsync = dir => RsyncWrapper.Create(dir),
            CompareFileTimes = true,
            PollInterval = TimeSpan.FromMilliseconds(500),
        };
        options = configure?.Invoke(options) ?? options;
        var scenario = await SyncScenario.StartAsync(options);
        var workload = new ChurnWorkload(scenario.Source, scenario.Scratch("outside"), seed, workloadOptions);
        return new ChurnHarness(scenario, workload, operations, test) { Variant = variant.Description };
    }

    /// <summary>Applies the operations (in bursts); <paramref name="hook"/> runs after each one, inside its burst.</summary>
    public async Task RunWorkloadAsync(Action<int>? hook = null, int? operations = null)
    {
        _clock.Start();
        await Workload.RunAsync(operations ?? Operations - Workload.Applied, hook);
        _workloadTime = _clock.Elapsed;
    }

    /// <summary>
    /// After the workload: waits (up to <paramref name="timeout"/>) until every node equals the source, then until no
    /// rsync has run for a quiet period, and compares once more. Fails with the seed, the operation log tail and the
    /// first differences.
    /// </summary>
    public async Task<ChurnResult> AssertConvergedAsync(TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        IReadOnlyList<string> differences = [];
        bool equal = await Eventually.TrueWithinAsync(() => (differences = Scenario.AllDifferences()).Count == 0, timeout, TimeSpan.FromMilliseconds(500));
        if (!equal)
        {
            Fail($"the nodes did not converge within {timeout.TotalSeconds:0} s after the workload", differences);
        }

        TimeSpan convergence = started.Elapsed;
        await WaitForQuietAsync(timeout - started.Elapsed);
        differences = Scenario.AllDifferences();
        if (differences.Count > 0)
        {
            Fail("the nodes equalled the source, then differed again once rsync went quiet", differences);
        }

        RsyncWrapper rsync = Scenario.Rsync!;
        return new ChurnResult(Workload.Seed, Workload.Applied, _workloadTime, convergence, rsync.Runs, rsync.InjectedFailures, $"{Variant}; {Workload}");
    }

    /// <summary>Fails the test with everything needed to replay it.</summary>
    public void Fail(string what, IReadOnlyList<string> differences)
    {
        string saved = SaveEvidence(differences);
        Assert.Fail(
            $"CHURN FAILURE, seed {Workload.Seed}: {what}\n" +
            $"{ChurnSettings.ReplayHint(Workload.Seed, Operations, _test)}\n" +
            $"whole daemon log, operation log and differences: {saved}\n" +
            $"{Variant}; {Workload}\n" +
            $"--- last operations ---\n{Workload.LogTail(40)}\n" +
            Scenario.Describe("--- nodes vs source", differences, logLines: 80) +
            // Again at the end: CI shows a failure's last lines.
            $"\n--- CHURN FAILURE, seed {Workload.Seed}: {what}; {differences.Count} differences, first: {(differences.Count > 0 ? differences[0] : "none")}; evidence: {saved}");
    }

    public async ValueTask DisposeAsync()
    {
        Workload.Dispose();
        await Scenario.DisposeAsync();
    }

    /// <summary>Keeps the whole story of a failure (the scenario's folder is deleted): $TMPDIR/inosync-churn-failures.</summary>
    private string SaveEvidence(IReadOnlyList<string> differences)
    {
        string directory = Path.Combine(Path.GetTempPath(), "inosync-churn-failures");
        Directory.CreateDirectory(directory);
        string prefix = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{_test}-seed{Workload.Seed}-{DateTime.UtcNow:yyyyMMddHHmmss}"));
        File.WriteAllText(prefix + ".log", Scenario.FullLog());
        File.WriteAllText(prefix + ".ops", Workload.LogTail(int.MaxValue) + "\n");
        File.WriteAllLines(prefix + ".diff", differences);
        return prefix + ".{log,ops,diff}";
    }

    private async Task WaitForQuietAsync(TimeSpan timeout)
    {
        RsyncWrapper rsync = Scenario.Rsync!;
        var deadline = Stopwatch.StartNew();
        int runs = rsync.Runs;
        var quietSince = Stopwatch.StartNew();
        while (quietSince.Elapsed < s_quiet)
        {
            if (deadline.Elapsed > timeout)
            {
                Fail("rsync never went quiet after the workload", Scenario.AllDifferences());
            }

            await Task.Delay(100);
            if (rsync.Runs != runs)
            {
                runs = rsync.Runs;
                quietSince.Restart();
            }
        }
    }
}
