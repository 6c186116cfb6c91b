using System.Globalization;
using System.Text;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Workloads;

namespace Inosync.Benchmarks.Reporting;

/// <summary>docs/benchmarks.md: the machine, the targets of issue 6, and one table per workload (medians over the
/// runs), each followed by the inosync / peer ratios (medians of per-run ratios).</summary>
internal static class MarkdownReport
{
    private const string Inosync = "inosync";

    private const string MemoryWhyNot =
        "the fixed cost of a .NET program, even compiled ahead of time. Measured with smaps on the native build after "
        + "ready on 20,021 directories (16.0 MB): 8.4 MB file-backed, of which 6.8 MB are the executable's own pages "
        + "(7.2 MB on disk: the runtime, System.CommandLine, Serilog and Tomlyn compiled in; .text 3.6 MB, read-only data "
        + "1.9 MB and unwind tables 1.2 MB, nearly all resident because the kernel maps the neighbours of every page "
        + "touched) and 1.9 MB libc and libm; 7.1 MB anonymous, of which the managed heap is 4.1 MB (about 205 bytes a "
        + "directory: a name, a parent, a wd-map entry, the parent's child-map entry), the image's rehydrated data 1.7 MB, "
        + "the rest thread stacks, malloc and the GC's tables. lsyncd has 8.1 MB in all. The peak is the walk: it leaves "
        + "about 250 bytes of garbage a directory, which the walk now collects every 2,048 directories (22.3 -> 18.0 MB "
        + "peak); what remains above the steady state is the one compacting collection after the walk (about 2 MB while "
        + "it copies). Tried without a gain: GC settings (gen0 size, conserve memory, non-concurrent; by environment and "
        + "in the runtime configuration), the image's data not dehydrated (IlcDehydrate=false: 1.4 MB more RSS, no faster "
        + "start), identical method bodies folded (170 KB smaller, 0.2 MB less RSS), OptimizationPreference=Size.";

    private const string BigFileWhyNot =
        "each step is one rsync of the file, as for the peers: rsync copies a file between local paths whole (its "
        + "default there), so a step writes the whole file, and on this shared VM the same plain rsync of it took "
        + "anything from 1.1 to 4.2 s back to back (the disk's writeback). inosync's batch no longer reads both copies in "
        + "full first (--checksum only where QuickCheckGuard finds an mtime within an earlier run).";

    /// <summary>For a target that is not met: what the profile says stands in the way.</summary>
    private static readonly Dictionary<string, string> s_whyNot = new(StringComparer.Ordinal)
    {
        ["peak RSS at 20,000 watches ≤ 2 × lsyncd"] = MemoryWhyNot,
        ["RSS after ready on 20,000 directories ≤ lsyncd"] = MemoryWhyNot,
        ["flood peak RSS ≤ lsyncd"] =
            "the same fixed cost (see RSS after ready), plus the batches in flight: names of up to 1,000 files per "
            + "directory before a directory becomes one recursive job, the include list piped to rsync, and rsync's own "
            + "output read for its statistics.",
        ["backlog peak RSS ≤ lsyncd"] =
            "the same fixed cost (see RSS after ready), plus 100,000 deletions and creations held as names per directory "
            + "while an rsync runs.",
        ["big file append ≤ lsyncd"] = BigFileWhyNot,
        ["big file append ≤ 1.1 × rsync floor"] = BigFileWhyNot,
        ["big file overwrite ≤ lsyncd"] = BigFileWhyNot,
        ["big file overwrite ≤ 1.1 × rsync floor"] = BigFileWhyNot,
        ["big file append over ssh ≤ lsyncd"] = BigFileWhyNot,
        ["big file append over ssh ≤ 1.1 × rsync floor"] = BigFileWhyNot,
        ["big file overwrite over ssh ≤ lsyncd"] = BigFileWhyNot,
        ["big file overwrite over ssh ≤ 1.1 × rsync floor"] = BigFileWhyNot,
        ["latency p50 ≤ lsyncd (delay 0)"] =
            "both land within about a millisecond of the one-file rsync floor, the size of the shared machine's "
            + "scheduling noise, so this ratio moves around 1 from run to run. inosync's rsync is the cheaper one (a file "
            + "list: rsync stats the new file, not its directory); its extra cost is the path from the kernel event to "
            + "fork/exec: two thread-pool hops (channel, then the node's worker) and .NET's Process.Start.",
        ["latency p50 ≤ 1.2 × one-file rsync floor"] =
            "the floor is rsync alone; inosync adds the event delivery, two thread-pool hops and a process start, and "
            + "its rsync reads the name list from a pipe.",
        ["flood rsync runs ≤ lsyncd's"] =
            "inosync starts the next batch as soon as an rsync ends (group commit), and its runs are shorter than "
            + "lsyncd's (whole new directories instead of one filter line per file), so a flood of the same length can give "
            + "it more runs; both counts move by 2× from run to run with the disk. Holding batches while a flood lasts was "
            + "measured: 0.38× the runs, but 4.3× the lag and no CPU saved, so it was not kept.",
        ["flood lag ≤ 1.3 × plain-rsync floor"] =
            "at the end of the copy a batch is usually running; the lag is its rest plus one last batch, written while the "
            + "disk is still flushing the copy. The floor's rsync runs after the copy with nothing else on the machine.",
        ["flood lag ≤ lsyncd (delay 0)"] =
            "see the flood lag above; the figures of both move with the disk's writeback.",
        ["startup: root probe under 1 s"] =
            "the probe appears with the first entries of the initial full rsync, which starts once every directory is "
            + "watched: the native executable's start (a few milliseconds) + the watch walk (0.25-0.5 s for 20,000 "
            + "directories, most of it in the kernel: opendir, getdents64, inotify_add_watch) + rsync's start.",
        ["startup: root probe on 500 directories ≤ lsyncd"] =
            "on a small tree the time to the first rsync is start-up cost, not the walk. Profiled (perf, 10 kHz) on 506 "
            + "directories: about 15 ms until Main (the native runtime's start; a third of it rehydrating the image's data), "
            + "5 ms parsing the command line and the configuration, 3-4 ms of .NET's first Process.Start (rsync --version, "
            + "which now runs while the walk does), 9 ms for the walk (18 µs a directory) and the scan for leftover rsyncs "
            + "of an earlier instance; lsyncd's initial rsync starts about 5 ms after launch.",
        ["startup: root probe on 20,000 directories ≤ lsyncd"] =
            "both walk the tree and add a watch per directory before their initial rsync; the walk is mostly kernel time "
            + "(opendir, getdents64, inotify_add_watch), so the two move together with the machine's load.",
        ["backlog CPU (tool + rsync) ≤ lsyncd"] =
            "inosync runs a batch whenever the previous rsync ends, so a long burst costs many short rsync runs.",
        ["idle: 0.00 CPU s over 30 s"] =
            "an idle inosync blocks in poll(2) and on channels, with no timer; CPU here means a timer or a thread woke up.",
    };

    public static string Render(BenchmarkReport report, string plotFileName)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine(Invariant($"_Generated by [tests/Inosync.Benchmarks](../tests/Inosync.Benchmarks/README.md) on {report.Started:yyyy-MM-dd HH:mm zzz} in {report.Duration.TotalMinutes:0} min. Do not edit by hand: run the benchmark again._"));
        md.AppendLine();
        md.AppendLine(Invariant($"Command: `{report.Options.CommandLine}` — {report.Options.Runs} runs of every workload; every figure below is the median over the runs, and every ratio the median of the per-run ratios (inosync and the peer measured in the same run, one after the other)."));
        md.AppendLine();

        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        foreach ((string name, string value) in report.Machine)
        {
            md.AppendLine($"| {name} | {Cell(value)} |");
        }

        md.AppendLine(Invariant($"| Load average | {report.LoadBefore} before, {report.LoadAfter} after (shared machine: hence ratios measured in the same run) |"));
        md.AppendLine();

        md.AppendLine("## Targets (issues 6 and 14)");
        md.AppendLine();
        md.AppendLine("| Target | Measured | Met |");
        md.AppendLine("|---|---|---|");
        var targets = Targets(report);
        foreach ((string target, string measured, bool? met) in targets)
        {
            md.AppendLine($"| {target} | {measured} | {(met is null ? "n/a" : met.Value ? "yes" : "**no**")} |");
        }

        md.AppendLine();
        var unmet = targets.Where(t => t.Met == false && s_whyNot.ContainsKey(t.Target)).ToList();
        if (unmet.Count > 0)
        {
            md.AppendLine("What stands in the way (from profiling inosync; see the commit messages for each measurement):");
            md.AppendLine();
            foreach ((string target, _, _) in unmet)
            {
                md.AppendLine($"- *{target}*: {s_whyNot[target]}");
            }

            md.AppendLine();
        }

        if (report.Workloads.Any(w => w.Name == "latency"))
        {
            md.AppendLine($"![Latency distribution per tool]({plotFileName})");
            md.AppendLine();
        }

        md.AppendLine("## Tools");
        md.AppendLine();
        foreach (var tool in report.Tools)
        {
            md.AppendLine($"- **{tool.Name}**: {tool.Description}");
        }

        foreach ((string tool, string reason) in report.Skipped)
        {
            md.AppendLine($"- **{tool}**: skipped — {reason}");
        }

        md.AppendLine(Invariant($"- **{WorkloadResult.FloorName}**: plain rsync started by the benchmark; what each workload costs rsync alone."));
        md.AppendLine();
        md.AppendLine("A run counts as correct when, after the workload, the target equals the source: the same paths, types, file sizes, mtimes, symlink targets and file bytes (permissions are not compared: lsyncd's default.rsync does not preserve them).");
        md.AppendLine();

        foreach (WorkloadResult workload in report.Workloads)
        {
            RenderWorkload(md, workload);
        }

        return md.ToString();
    }

    /// <summary>The targets of issues 6 and 14, judged on this report: (target, measured, met — null when not measurable).</summary>
    public static List<(string Target, string Measured, bool? Met)> Targets(BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var targets = new List<(string, string, bool?)>();
        WorkloadResult? latency = report.Workloads.FirstOrDefault(w => w.Name == "latency");
        WorkloadResult? flood = report.Workloads.FirstOrDefault(w => w.Name == "flood");
        WorkloadResult? startup = report.Workloads.FirstOrDefault(w => w.Name == "startup");
        WorkloadResult? backlog = report.Workloads.FirstOrDefault(w => w.Name == "backlog");
        WorkloadResult? bigFile = report.Workloads.FirstOrDefault(w => w.Name == "bigfile");

        void Ratio(string target, WorkloadResult? workload, string metric, string peer, double limit)
        {
            double ratio = workload is null ? double.NaN : MedianRatio(workload, metric, peer);
            targets.Add((target, double.IsNaN(ratio) ? "not measured" : Invariant($"{ratio:0.00}×"), double.IsNaN(ratio) ? null : ratio <= limit));
        }

        Ratio("latency p50 ≤ 1.2 × one-file rsync floor", latency, "p50", WorkloadResult.FloorName, 1.2);
        Ratio("latency p50 ≤ lsyncd (delay 0)", latency, "p50", "lsyncd", 1.0);
        Ratio("flood lag ≤ 1.3 × plain-rsync floor", flood, "lag", WorkloadResult.FloorName, 1.3);
        Ratio("flood lag ≤ lsyncd (delay 0)", flood, "lag", "lsyncd", 1.0);
        Ratio("flood rsync runs ≤ lsyncd's", flood, "runs", "lsyncd", 1.0);
        Ratio("startup: root probe on 20,000 directories ≤ lsyncd", startup, "root", "lsyncd", 1.0);
        Ratio("startup: root probe on 500 directories ≤ lsyncd", startup, "smallRoot", "lsyncd", 1.0);
        double root = startup is null ? double.NaN : MedianOf(startup, Inosync, "root");
        targets.Add(("startup: root probe under 1 s", double.IsNaN(root) ? "not measured" : Invariant($"{root:0.000} s"), double.IsNaN(root) ? null : root < 1));
        if (backlog is not null && backlog.RunsOf(Inosync).Any())
        {
            bool converged = backlog.RunsOf(Inosync).All(r => double.IsFinite(r["converge"]) && r.Correct);
            targets.Add(("backlog converges", converged ? "every run" : "**not every run**", converged));
        }
        else
        {
            targets.Add(("backlog converges", "not measured", null));
        }

        Ratio("backlog CPU (tool + rsync) ≤ lsyncd", backlog, "cpuTotal", "lsyncd", 1.0);
        double idle = startup is null ? double.NaN : MedianOf(startup, Inosync, "idleCpu");
        targets.Add((Invariant($"idle: 0.00 CPU s over {report.Options.Idle.TotalSeconds:0} s"), double.IsNaN(idle) ? "not measured" : Invariant($"{idle:0.00} s"), double.IsNaN(idle) ? null : idle < 0.005));
        Ratio("peak RSS at 20,000 watches ≤ 2 × lsyncd", startup, "peakRss", "lsyncd", 2.0);
        Ratio("RSS after ready on 20,000 directories ≤ lsyncd", startup, "rss", "lsyncd", 1.0);
        Ratio("flood peak RSS ≤ lsyncd", flood, "peakRss", "lsyncd", 1.0);
        Ratio("backlog peak RSS ≤ lsyncd", backlog, "peakRss", "lsyncd", 1.0);
        Ratio("big file append ≤ lsyncd", bigFile, "append", "lsyncd", 1.0);
        Ratio("big file append ≤ 1.1 × rsync floor", bigFile, "append", WorkloadResult.FloorName, 1.1);
        Ratio("big file overwrite ≤ lsyncd", bigFile, "overwrite", "lsyncd", 1.0);
        Ratio("big file overwrite ≤ 1.1 × rsync floor", bigFile, "overwrite", WorkloadResult.FloorName, 1.1);
        Ratio("big file append over ssh ≤ lsyncd", bigFile, "sshAppend", "lsyncd", 1.0);
        Ratio("big file append over ssh ≤ 1.1 × rsync floor", bigFile, "sshAppend", WorkloadResult.FloorName, 1.1);
        Ratio("big file overwrite over ssh ≤ lsyncd", bigFile, "sshOverwrite", "lsyncd", 1.0);
        Ratio("big file overwrite over ssh ≤ 1.1 × rsync floor", bigFile, "sshOverwrite", WorkloadResult.FloorName, 1.1);
        bool correct = report.Workloads.All(w => w.RunsOf(Inosync).All(r => r.Correct));
        targets.Add(("inosync: target equals source after every run", correct ? "yes" : "**no**", report.Workloads.Count == 0 ? null : correct));
        return targets;
    }

    /// <summary>The median over runs of inosync's value divided by the peer's value in the same run.</summary>
    public static double MedianRatio(WorkloadResult workload, string metric, string peer)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var ratios = new List<double>();
        foreach (RunRecord mine in workload.RunsOf(Inosync))
        {
            RunRecord? theirs = workload.RunsOf(peer).FirstOrDefault(r => r.Run == mine.Run);
            double a = mine[metric];
            double b = theirs?[metric] ?? double.NaN;
            if (double.IsNaN(a) || double.IsNaN(b))
            {
                continue;
            }

            ratios.Add(b == 0 ? (a == 0 ? 1 : double.PositiveInfinity) : a / b);
        }

        return ratios.Count == 0 ? double.NaN : Stats.Median(ratios);
    }

    private static double MedianOf(WorkloadResult workload, string tool, string metric) =>
        Stats.Median(workload.RunsOf(tool).Select(r => r[metric]));

    private static void RenderWorkload(StringBuilder md, WorkloadResult workload)
    {
        md.AppendLine($"## {workload.Title}");
        md.AppendLine();
        md.AppendLine(workload.Method.ReplaceLineEndings(" "));
        md.AppendLine();
        md.Append("| Tool |");
        foreach (Metric metric in workload.Metrics)
        {
            md.Append(' ').Append(metric.Label).Append(" |");
        }

        md.AppendLine(" correct runs |");
        md.Append("|---|");
        md.Append(string.Concat(Enumerable.Repeat("---:|", workload.Metrics.Count)));
        md.AppendLine("---|");
        foreach (string tool in workload.Tools)
        {
            var runs = workload.RunsOf(tool).ToList();
            md.Append("| ").Append(tool).Append(" |");
            foreach (Metric metric in workload.Metrics)
            {
                md.Append(' ').Append(Format(metric, Stats.Median(runs.Select(r => r[metric.Key])))).Append(" |");
            }

            int correct = runs.Count(r => r.Correct && !r.TimedOut);
            md.Append(Invariant($" {correct}/{runs.Count}"));
            var notes = runs.SelectMany(r => r.Differences.Take(2).Concat(r.Notes).Select(n => $"run {r.Run}: {n}")).Distinct(StringComparer.Ordinal).Take(4).ToList();
            if (notes.Count > 0)
            {
                md.Append(" (").Append(Cell(string.Join("; ", notes))).Append(')');
            }

            md.AppendLine(" |");
        }

        md.AppendLine();
        var peers = workload.Tools.Where(t => t != Inosync).ToList();
        var compared = workload.Metrics.Where(m => m.Compare).ToList();
        if (!workload.Tools.Contains(Inosync) || peers.Count == 0 || compared.Count == 0)
        {
            return;
        }

        md.AppendLine("inosync / peer, median of the per-run ratios (below 1: inosync is faster or smaller):");
        md.AppendLine();
        md.Append("| inosync / |");
        foreach (Metric metric in compared)
        {
            md.Append(' ').Append(metric.Label).Append(" |");
        }

        md.AppendLine();
        md.Append("|---|").AppendLine(string.Concat(Enumerable.Repeat("---:|", compared.Count)));
        foreach (string peer in peers)
        {
            md.Append("| ").Append(peer).Append(" |");
            foreach (Metric metric in compared)
            {
                double ratio = MedianRatio(workload, metric.Key, peer);
                md.Append(' ').Append(double.IsNaN(ratio) ? "–" : double.IsInfinity(ratio) ? "∞" : Invariant($"{ratio:0.00}")).Append(" |");
            }

            md.AppendLine();
        }

        md.AppendLine();
    }

    private static string Format(Metric metric, double value) =>
        double.IsNaN(value) ? "–" : double.IsPositiveInfinity(value) ? "timeout" : string.Format(CultureInfo.InvariantCulture, metric.Format, value);

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
