using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>A whole tree deleted with one rm -rf, then as many new files written: a big burst of events.</summary>
internal sealed class BacklogWorkload : Workload
{
    private const int FilesPerDirectory = 100;
    private const string Bulk = "bulk";
    private int _generation;

    public BacklogWorkload(BenchContext context)
        : base(context)
    {
    }

    public override string Name => "backlog";

    public override string Title => "Backlog: rm -rf, then as many new files";

    public override string Method => BenchContext.Invariant($"""
        {Options.BacklogFiles:N0} files of 64–128 bytes in {Directories:N0} directories, mirrored, the tool ready. Then `rm -rf` of the whole
        tree, and the benchmark writes {Options.BacklogFiles:N0} new files (new names) in as many directories; **converge** is the time from
        the start of the `rm` until the target holds exactly the new tree (the old files gone); **writer** is how long
        the rm and the writes took. CPU and rsync runs as for the flood. A tool that does not converge within
        {Options.Timeout.TotalSeconds:0} s is stopped and not run again on this workload. **Floor**: the same rm and writes with no
        tool running, then one `rsync -a --delete SRC/ TARGET/` (its time and CPU).
        """);

    public override IReadOnlyList<Metric> Metrics { get; } =
    [
        new("converge", "converge (s)", "{0:0.00}"),
        new("writer", "writer (s)", "{0:0.00}", Compare: false),
        new("runs", "rsync runs", "{0:0}"),
        new("cpuDaemon", "tool CPU (s)", "{0:0.00}"),
        new("cpuRsync", "rsync CPU (s)", "{0:0.00}"),
        new("cpuTotal", "total CPU (s)", "{0:0.00}"),
        new("peakRss", "tool peak RSS (MiB)", "{0:0.0}"),
    ];

    private int Directories => (Options.BacklogFiles + FilesPerDirectory - 1) / FilesPerDirectory;

    public override void Prepare()
    {
        BenchContext.Empty(Root);
        Directory.CreateDirectory(Source);
        Write(_generation);
        Context.Mirror(Source, Target);
    }

    public override bool RunFloor(RunRecord record)
    {
        Context.Mirror(Source, Target);
        var clock = Stopwatch.StartNew();
        BenchContext.RunCommand("rm", "-rf", "--", Path.Combine(Source, Bulk));
        Write(++_generation);
        record["writer"] = clock.Elapsed.TotalSeconds;
        double cpuBefore = ProcessTree.ReapedChildrenSeconds();
        record["converge"] = BenchContext.RunCommand(Context.Rsync, "-a", "--delete", Source + "/", Target + "/").TotalSeconds;
        record["cpuRsync"] = record["cpuTotal"] = ProcessTree.ReapedChildrenSeconds() - cpuBefore;
        record["runs"] = 1;
        CheckEqual(record, Source, Target);
        return true;
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        Context.Mirror(Source, Target);
        using ToolProcess process = Context.StartReady(tool, Source, Target, Context.CountingRsync, $"backlog-{tool.Name}-{record.Run}");
        int generation = ++_generation;
        List<TreeEntry> before = [.. TreeSnapshot.Read(Source).Entries.Where(e => !e.Path.StartsWith(Bulk, StringComparison.Ordinal))];

        CpuSample cpuBefore = ProcessTree.Cpu(process.Pid);
        long runsBefore = Context.RsyncRuns;
        var clock = Stopwatch.StartNew();
        TimeSpan writerEnd;
        var written = new List<TreeEntry>();
        BenchContext.RunCommand("rm", "-rf", "--", Path.Combine(Source, Bulk));
        Write(generation, written);
        writerEnd = clock.Elapsed;

        // The target cannot hold the new tree before it is written, so the check starts now, against the files as
        // written (mtimes included: a tool that copied a file between its creation and its write must copy it again).
        TimeSpan timeout = Options.Timeout + tool.Delay;
        TimeSpan? converged = Convergence.WaitFor(new TreeSnapshot([.. before, .. written]), Target, compareModified: true, clock, timeout, out string missing);

        record["writer"] = writerEnd.TotalSeconds;
        record["converge"] = converged?.TotalSeconds ?? double.PositiveInfinity;
        if (converged is null)
        {
            record.TimedOut = true;
            record.Notes.Add($"did not converge within {timeout.TotalSeconds:0} s; still missing: {missing}");
        }
        else if (!BenchContext.WaitQuiet(process.Pid, TimeSpan.FromSeconds(10), TimeSpan.Zero))
        {
            record.Notes.Add("rsync still running 10 s after convergence");
        }

        CpuSample cpu = ProcessTree.Cpu(process.Pid) - cpuBefore;
        record["runs"] = Context.RsyncRuns - runsBefore;
        record["cpuDaemon"] = cpu.DaemonSeconds;
        record["cpuRsync"] = cpu.RsyncSeconds;
        record["cpuTotal"] = cpu.TotalSeconds;
        record["peakRss"] = ProcessTree.Memory(process.Pid).PeakKiB / 1024.0;
        process.Stop();
        if (converged is not null)
        {
            CheckEqual(record, Source, Target);
        }
    }

    private static string FileName(int index, int generation) => $"f{index:D3}-g{generation}";

    private static byte[] Content(int directory, int index, int generation)
    {
        var bytes = new byte[64 + ((directory + index + generation) % 65)];
        bytes.AsSpan().Fill((byte)('a' + ((index + generation) % 26)));
        return bytes;
    }

    private static string DirectoryName(int directory, int generation) => Path.Combine(Bulk, $"d{directory:D4}-g{generation}");

    /// <summary>Writes one generation of the tree; <paramref name="entries"/> gets what was written, parents first.</summary>
    private void Write(int generation, List<TreeEntry>? entries = null)
    {
        entries?.Add(new TreeEntry(Bulk, EntryKind.Directory, 0, 0, null));
        int written = 0;
        for (int d = 0; written < Options.BacklogFiles; d++)
        {
            string relative = DirectoryName(d, generation);
            Directory.CreateDirectory(Path.Combine(Source, relative));
            entries?.Add(new TreeEntry(relative, EntryKind.Directory, 0, 0, null));
            for (int f = 0; f < FilesPerDirectory && written < Options.BacklogFiles; f++, written++)
            {
                string file = $"{relative}/{FileName(f, generation)}";
                byte[] content = Content(d, f, generation);
                long modified = NewFile.Write(Path.Combine(Source, file), content);
                entries?.Add(new TreeEntry(file, EntryKind.File, content.Length, modified, null));
            }
        }
    }
}
