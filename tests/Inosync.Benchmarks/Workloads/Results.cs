namespace Inosync.Benchmarks.Workloads;

/// <summary>One figure a workload reports per run.</summary>
/// <param name="Key">Stable key.</param>
/// <param name="Label">Column header.</param>
/// <param name="Format">How a value is printed (composite format for one value).</param>
/// <param name="Compare">Whether inosync / peer ratios are computed for it.</param>
internal sealed record Metric(string Key, string Label, string Format, bool Compare = true);

/// <summary>What one run of one tool (or of the rsync floor) on one workload gave.</summary>
internal sealed class RunRecord
{
    public RunRecord(string tool, int run)
    {
        Tool = tool;
        Run = run;
    }

    public string Tool { get; }

    public int Run { get; }

    /// <summary>Metric key → value; +∞ when the tool did not get there in time.</summary>
    public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>How the target differed from the source after the workload (empty: correct).</summary>
    public List<string> Differences { get; } = [];

    /// <summary>Raw latency samples in ms (latency workload only), for the plot.</summary>
    public List<double> Samples { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>The tool did not finish in time: its later runs of this workload are skipped.</summary>
    public bool TimedOut { get; set; }

    public bool Correct => Differences.Count == 0;

    public double this[string key]
    {
        get => Values.TryGetValue(key, out double v) ? v : double.NaN;
        set => Values[key] = value;
    }
}

/// <summary>All runs of one workload.</summary>
internal sealed record WorkloadResult(string Name, string Title, string Method, IReadOnlyList<Metric> Metrics, IReadOnlyList<RunRecord> Runs)
{
    public const string FloorName = "rsync (floor)";

    public IEnumerable<string> Tools => Runs.Select(r => r.Tool).Distinct(StringComparer.Ordinal);

    public IEnumerable<RunRecord> RunsOf(string tool) => Runs.Where(r => r.Tool == tool);
}
