using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;
using Inosync.Benchmarks.Workloads;

namespace Inosync.Benchmarks;

/// <summary>Everything one invocation measured.</summary>
internal sealed record BenchmarkReport(
    BenchmarkOptions Options,
    IReadOnlyList<(string Name, string Value)> Machine,
    IReadOnlyList<SyncTool> Tools,
    IReadOnlyList<(string Tool, string Reason)> Skipped,
    IReadOnlyList<WorkloadResult> Workloads,
    DateTimeOffset Started,
    TimeSpan Duration,
    string LoadBefore,
    string LoadAfter)
{
    /// <summary>Every run of every tool left the target equal to the source and finished in time.</summary>
    public bool AllCorrect => Workloads.All(w => w.Runs.All(r => r.Correct && !r.TimedOut));
}

/// <summary>
/// Runs the workloads. Within each run the floor and every tool are measured one after the other (the tool order
/// rotates from run to run, so a slow phase of a shared machine does not always hit the same tool); every
/// comparison is then a ratio of two figures from the same run.
/// </summary>
internal sealed class BenchmarkRunner
{
    private readonly BenchmarkOptions _options;
    private readonly BenchContext _context;

    public BenchmarkRunner(BenchmarkOptions options, TextWriter progress)
    {
        _options = options;
        _context = new BenchContext(options, progress);
    }

    public BenchmarkReport Run()
    {
        var started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        string loadBefore = MachineInfo.LoadAverage();
        var machine = MachineInfo.Describe(_options.WorkDirectory, _options.InosyncBinary);

        SyncTool[] candidates =
        [
            new InosyncTool(_options.InosyncBinary),
            .. _options.BaselineBinary is { } baseline ? [new InosyncTool(baseline, "inosync-baseline")] : Array.Empty<SyncTool>(),
            new LsyncdTool(defaultDelay: false),
            new LsyncdTool(defaultDelay: true),
            new InotifywaitLoopTool(),
        ];
        var tools = new List<SyncTool>();
        var skipped = new List<(string, string)>();
        foreach (SyncTool tool in candidates)
        {
            if (_options.Tools is { } wanted && !wanted.Contains(tool.Name, StringComparer.Ordinal))
            {
                continue;
            }

            if (tool.Unavailable is { } reason)
            {
                _context.Say($"skipping {tool.Name}: {reason}");
                skipped.Add((tool.Name, reason));
            }
            else
            {
                tools.Add(tool);
            }
        }

        Workload[] all = [new LatencyWorkload(_context), new FloodWorkload(_context), new StartupWorkload(_context), new BacklogWorkload(_context), new BigFileWorkload(_context), new NodesWorkload(_context)];
        var results = new List<WorkloadResult>();
        foreach (Workload workload in all.Where(w => _options.Workloads.Contains(w.Name, StringComparer.Ordinal)))
        {
            results.Add(Run(workload, tools));
        }

        return new BenchmarkReport(_options, machine, tools, skipped, results, started, clock.Elapsed, loadBefore, MachineInfo.LoadAverage());
    }

    private WorkloadResult Run(Workload workload, List<SyncTool> tools)
    {
        _context.Say($"{workload.Name}: preparing");
        workload.Prepare();
        var runs = new List<RunRecord>();
        var givenUp = new HashSet<string>(StringComparer.Ordinal);
        for (int run = 1; run <= _options.Runs; run++)
        {
            var floor = new RunRecord(WorkloadResult.FloorName, run);
            if (!_options.Smoke && Measure(floor, () => workload.RunFloor(floor)))
            {
                Report(workload, floor);
                runs.Add(floor);
            }

            for (int i = 0; i < tools.Count; i++)
            {
                SyncTool tool = tools[(i + run - 1) % tools.Count];
                var record = new RunRecord(tool.Name, run);
                if (givenUp.Contains(tool.Name))
                {
                    continue;
                }

                Measure(record, () =>
                {
                    workload.RunTool(tool, record);
                    return true;
                });
                if (record.TimedOut)
                {
                    givenUp.Add(tool.Name);
                    record.Notes.Add("not run again on this workload");
                }

                Report(workload, record);
                runs.Add(record);
            }
        }

        workload.Cleanup();
        return new WorkloadResult(workload.Name, workload.Title, workload.Method, workload.Metrics, runs);
    }

    private bool Measure(RunRecord record, Func<bool> measure)
    {
        try
        {
            return measure();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            record.Differences.Add($"failed: {ex.Message}");
            record.TimedOut = ex is TimeoutException;
            _context.Say($"{record.Tool} run {record.Run} failed: {ex.Message}");
            return true;
        }
    }

    private void Report(Workload workload, RunRecord record)
    {
        string values = string.Join(", ", workload.Metrics
            .Where(m => record.Values.ContainsKey(m.Key))
            .Select(m => $"{m.Label} {string.Format(System.Globalization.CultureInfo.InvariantCulture, m.Format, record[m.Key])}"));
        string verdict = record.Correct ? "target = source" : $"WRONG: {string.Join("; ", record.Differences.Take(3))}";
        _context.Say($"{workload.Name} run {record.Run} {record.Tool}: {values}; {verdict}{(record.Notes.Count > 0 ? " (" + string.Join("; ", record.Notes) + ")" : "")}");
    }
}
