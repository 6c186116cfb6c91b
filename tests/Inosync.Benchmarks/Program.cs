using System.CommandLine;
using System.Runtime.Versioning;
using Inosync.Benchmarks;
using Inosync.Benchmarks.Reporting;

[assembly: SupportedOSPlatform("linux")]

var smoke = new Option<bool>("--smoke") { Description = "Small sizes, inosync only, one run; checks correctness, judges no timing and writes no report unless --report is given." };
var inosync = new Option<string?>("--inosync") { Description = "The inosync binary to measure. Default: publish src/Inosync (Release, NativeAOT) into artifacts/bench/inosync and use that.", HelpName = "PATH" };
var baseline = new Option<string?>("--baseline") { Description = "Another inosync binary, measured as inosync-baseline in the same runs (to measure a change).", HelpName = "PATH" };
var tools = new Option<string?>("--tools") { Description = "Comma-separated tools: inosync,inosync-baseline,lsyncd,lsyncd-15s,inotifywait (default: every installed one).", HelpName = "LIST" };
var workloads = new Option<string?>("--workloads") { Description = "Comma-separated workloads: latency,flood,startup,backlog,bigfile (default: all; idle is part of startup).", HelpName = "LIST" };
var runs = new Option<int?>("--runs") { Description = "Runs of every workload (default 3); figures are medians over them." };
var latencyFiles = new Option<int?>("--latency-files") { Description = "Files in the latency tree (default 10000)." };
var latencySamples = new Option<int?>("--latency-samples") { Description = "Latency samples per run (default 100)." };
var delayedSamples = new Option<int?>("--delayed-samples") { Description = "Latency samples per run for lsyncd-15s, each costing 15 s (default 3)." };
var floodSources = new Option<string[]>("--flood-source") { Description = "A directory the flood copies in (repeatable; default /usr/include and /usr/share/doc).", HelpName = "DIR", AllowMultipleArgumentsPerToken = false };
var startupDirs = new Option<int?>("--startup-dirs") { Description = "Directories in the startup tree (default 20000)." };
var idleSeconds = new Option<int?>("--idle-seconds") { Description = "Idle measurement length (default 30)." };
var backlogFiles = new Option<int?>("--backlog-files") { Description = "Files deleted and created by the backlog (default 100000)." };
var bigFileMib = new Option<int?>("--big-file-mib") { Description = "Size of the big file in MiB (default 1024)." };
var timeoutSeconds = new Option<int?>("--timeout-seconds") { Description = "How long a tool may take to converge after a workload (default 120; plus the tool's own delay)." };
var workDir = new Option<string?>("--work-dir") { Description = "Scratch directory for the trees (default $TMPDIR/inosync-bench); emptied first, removed after.", HelpName = "DIR" };
var reportPath = new Option<string?>("--report") { Description = "Markdown report to write (default docs/benchmarks.md in the repository; none with --smoke). The plot goes next to it.", HelpName = "PATH" };

var root = new RootCommand("Benchmarks inosync against lsyncd and the inotifywait | rsync loop on the same workloads, and writes docs/benchmarks.md.")
{
    Options = { smoke, inosync, baseline, tools, workloads, runs, latencyFiles, latencySamples, delayedSamples, floodSources, startupDirs, idleSeconds, backlogFiles, bigFileMib, timeoutSeconds, workDir, reportPath },
};

root.SetAction(parseResult =>
{
    bool isSmoke = parseResult.GetValue(smoke);
    string? repository = InosyncBuild.FindRepository();
    string work = Path.GetFullPath(parseResult.GetValue(workDir) ?? Path.Combine(Path.GetTempPath(), "inosync-bench"));
    string binary = parseResult.GetValue(inosync) is { } given ? Path.GetFullPath(given) : InosyncBuild.Publish(repository);
    BenchmarkOptions defaults = isSmoke ? BenchmarkOptions.ForSmoke(binary, work) : new BenchmarkOptions { InosyncBinary = binary, WorkDirectory = work };
    string? report = parseResult.GetValue(reportPath) ?? (isSmoke || repository is null ? null : Path.Combine(repository, "docs", "benchmarks.md"));
    string[] sources = parseResult.GetValue(floodSources) ?? [];
    BenchmarkOptions options = defaults with
    {
        BaselineBinary = parseResult.GetValue(baseline) is { } b ? Path.GetFullPath(b) : null,
        Tools = Split(parseResult.GetValue(tools)) ?? defaults.Tools,
        Workloads = Split(parseResult.GetValue(workloads)) ?? defaults.Workloads,
        Runs = parseResult.GetValue(runs) ?? defaults.Runs,
        LatencyFiles = parseResult.GetValue(latencyFiles) ?? defaults.LatencyFiles,
        LatencySamples = parseResult.GetValue(latencySamples) ?? defaults.LatencySamples,
        DelayedLatencySamples = parseResult.GetValue(delayedSamples) ?? defaults.DelayedLatencySamples,
        FloodSources = sources.Length > 0 ? [.. sources.Select(Path.GetFullPath)] : defaults.FloodSources,
        StartupDirectories = parseResult.GetValue(startupDirs) ?? defaults.StartupDirectories,
        Idle = parseResult.GetValue(idleSeconds) is int idle ? TimeSpan.FromSeconds(idle) : defaults.Idle,
        BacklogFiles = parseResult.GetValue(backlogFiles) ?? defaults.BacklogFiles,
        BigFileMebibytes = parseResult.GetValue(bigFileMib) ?? defaults.BigFileMebibytes,
        Timeout = parseResult.GetValue(timeoutSeconds) is int timeout ? TimeSpan.FromSeconds(timeout) : defaults.Timeout,
        ReportPath = report is null ? null : Path.GetFullPath(report),
        CommandLine = "dotnet run -c Release --project tests/Inosync.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""),
    };

    BenchmarkReport result = Benchmark.Run(options, Console.Out);
    foreach ((string target, string measured, bool? met) in MarkdownReport.Targets(result).Where(_ => !options.Smoke))
    {
        Console.WriteLine($"target: {target}: {measured} — {(met is null ? "n/a" : met.Value ? "met" : "NOT met")}");
    }

    Console.WriteLine(result.AllCorrect ? "benchmark: every run converged and every target equalled its source" : "benchmark: SOME RUNS WERE WRONG OR DID NOT CONVERGE (see above)");
    bool inosyncCorrect = result.Workloads.All(w => w.RunsOf("inosync").All(r => r.Correct && !r.TimedOut));
    return inosyncCorrect && (!options.Smoke || result.AllCorrect) ? 0 : 1;
});

return root.Parse(args).Invoke();

static string[]? Split(string? list) =>
    list is null ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
