namespace Inosync.Benchmarks;

/// <summary>Sizes and repeats of one benchmark invocation.</summary>
internal sealed record BenchmarkOptions
{
    public static IReadOnlyList<string> AllWorkloads { get; } = ["latency", "flood", "startup", "backlog", "bigfile", "nodes"];

    public static IReadOnlyList<string> DefaultFloodSources { get; } = ["/usr/include", "/usr/share/doc"];

    /// <summary>Small sizes, inosync only, correctness checked, no targets judged, no report.</summary>
    public bool Smoke { get; init; }

    /// <summary>The inosync binary to measure.</summary>
    public required string InosyncBinary { get; init; }

    /// <summary>A second inosync binary measured as "inosync-baseline" in the same runs (to measure a change).</summary>
    public string? BaselineBinary { get; init; }

    /// <summary>Tool names to run (null: every installed one).</summary>
    public IReadOnlyList<string>? Tools { get; init; }

    public IReadOnlyList<string> Workloads { get; init; } = AllWorkloads;

    public int Runs { get; init; } = 3;

    public int LatencyFiles { get; init; } = 10_000;

    public int LatencySamples { get; init; } = 100;

    /// <summary>Latency samples for a tool that delays on purpose (lsyncd's default 15 s): each costs that long.</summary>
    public int DelayedLatencySamples { get; init; } = 3;

    /// <summary>Directories copied by the flood (null: a generated tree of <see cref="FloodGeneratedFiles"/> files).</summary>
    public IReadOnlyList<string>? FloodSources { get; init; } = DefaultFloodSources;

    public int FloodGeneratedFiles { get; init; } = 1_000;

    public int StartupDirectories { get; init; } = 20_000;

    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(30);

    public int BacklogFiles { get; init; } = 100_000;

    public int BigFileMebibytes { get; init; } = 1024;

    /// <summary>How long a tool may take to converge after a workload (plus its own delay).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    public required string WorkDirectory { get; init; }

    /// <summary>Where the Markdown report goes (the SVG plot next to it); null: no report.</summary>
    public string? ReportPath { get; init; }

    /// <summary>The command line, as given, for the report.</summary>
    public string CommandLine { get; init; } = "";

    public static BenchmarkOptions ForSmoke(string inosyncBinary, string workDirectory) => new()
    {
        Smoke = true,
        InosyncBinary = inosyncBinary,
        WorkDirectory = workDirectory,
        Tools = ["inosync"],
        Runs = 1,
        LatencyFiles = 300,
        LatencySamples = 10,
        FloodSources = null,
        FloodGeneratedFiles = 1_000,
        StartupDirectories = 300,
        Idle = TimeSpan.FromSeconds(1),
        BacklogFiles = 2_000,
        BigFileMebibytes = 8,
        Timeout = TimeSpan.FromSeconds(60),
    };
}
