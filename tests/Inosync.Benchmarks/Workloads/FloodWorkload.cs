using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>A real tree copied into the watched directory in one go: how long until the target has all of it.</summary>
internal sealed class FloodWorkload : Workload
{
    private readonly List<string> _origins = [];
    private TreeSnapshot? _originTree;

    public FloodWorkload(BenchContext context)
        : base(context)
    {
    }

    public override string Name => "flood";

    public override string Title => "Flood: a real tree copied in";

    public override string Method => BenchContext.Invariant($"""
        `cp -a {string.Join(' ', _origins)} SRC/` ({_originTree?.FileCount:N0} files, {_originTree?.DirectoryCount:N0} directories, {Bytes():N0} MB) into the watched
        directory, empty and mirrored, of a tool that is ready. **Lag** is the time from the end of the copy until the
        target equals the source (the cursor check of the README: every path, type, size, mtime and symlink target);
        **total** is from the start of the copy. Both are shown because a tool that syncs while the copy runs slows
        the copy down. rsync runs are counted by a `/bin/sh` wrapper given to every tool as its rsync binary; CPU is
        utime+stime of the tool's processes and of its rsync children (reaped or live) from the start of the copy until
        no rsync runs (at most 10 s after convergence). **Floor**: the same copy, then one `rsync -a SRC/ TARGET/`
        into the empty target; its lag is that rsync's time to convergence, its rsync CPU that rsync's.
        """);

    public override IReadOnlyList<Metric> Metrics { get; } =
    [
        new("lag", "lag after copy (s)", "{0:0.00}"),
        new("total", "total from copy start (s)", "{0:0.00}"),
        new("copy", "copy (s)", "{0:0.00}", Compare: false),
        new("runs", "rsync runs", "{0:0}"),
        new("cpuDaemon", "tool CPU (s)", "{0:0.00}"),
        new("cpuRsync", "rsync CPU (s)", "{0:0.00}"),
        new("peakRss", "tool peak RSS (MiB)", "{0:0.0}"),
    ];

    public override void Prepare()
    {
        BenchContext.Empty(Root);
        if (Options.FloodSources is { } sources)
        {
            _origins.AddRange(sources.Select(s => s.TrimEnd('/')));
        }
        else
        {
            string generated = Path.Combine(Root, "origin", "tree");
            Generate(generated, Options.FloodGeneratedFiles);
            _origins.Add(generated);
        }

        var entries = new List<TreeEntry>();
        foreach (string origin in _origins)
        {
            string name = Path.GetFileName(origin);
            entries.Add(new TreeEntry(name, EntryKind.Directory, 0, 0, null));
            entries.AddRange(TreeSnapshot.Read(origin, name).Entries);
        }

        _originTree = new TreeSnapshot(entries);
        if (!Options.Smoke && _originTree.FileCount < 10_000)
        {
            Context.Say($"flood: warning: {string.Join(", ", _origins)} hold only {_originTree.FileCount} files (the workload asks for at least 10,000)");
        }
    }

    public override bool RunFloor(RunRecord record)
    {
        Reset();
        TimeSpan copy = BenchContext.RunCommand("cp", ["-a", "-t", Source, .. _origins]);
        double cpuBefore = ProcessTree.ReapedChildrenSeconds();
        var clock = Stopwatch.StartNew();
        using var rsync = Process.Start(new ProcessStartInfo(Context.Rsync) { UseShellExecute = false, ArgumentList = { "-a", Source + "/", Target + "/" } })!;
        TimeSpan? converged = Convergence.WaitFor(_originTree!, Target, compareModified: true, clock, Options.Timeout);
        rsync.WaitForExit();
        record["cpuRsync"] = ProcessTree.ReapedChildrenSeconds() - cpuBefore;
        record["copy"] = copy.TotalSeconds;
        record["lag"] = converged?.TotalSeconds ?? double.PositiveInfinity;
        record["total"] = copy.TotalSeconds + record["lag"];
        record["runs"] = 1;
        CheckEqual(record, Source, Target);
        return true;
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        Reset();
        using ToolProcess process = Context.StartReady(tool, Source, Target, Context.CountingRsync, $"flood-{tool.Name}-{record.Run}");
        var expected = new TreeSnapshot([.. TreeSnapshot.Read(Source).Entries, .. _originTree!.Entries]);

        CpuSample cpuBefore = ProcessTree.Cpu(process.Pid);
        long runsBefore = Context.RsyncRuns;
        var clock = Stopwatch.StartNew();
        TimeSpan copyEnd = TimeSpan.Zero;
        using var copier = new Process { StartInfo = new ProcessStartInfo("cp") { UseShellExecute = false } };
        copier.StartInfo.ArgumentList.Add("-a");
        copier.StartInfo.ArgumentList.Add("-t");
        copier.StartInfo.ArgumentList.Add(Source);
        foreach (string origin in _origins)
        {
            copier.StartInfo.ArgumentList.Add(origin);
        }

        copier.Start();
        Task copied = copier.WaitForExitAsync().ContinueWith(_ => copyEnd = clock.Elapsed, TaskScheduler.Default);
        TimeSpan? converged = Convergence.WaitFor(expected, Target, compareModified: true, clock, Options.Timeout + tool.Delay);
        copied.Wait();

        record["copy"] = copyEnd.TotalSeconds;
        if (converged is { } at)
        {
            record["lag"] = (at - copyEnd).TotalSeconds;
            record["total"] = at.TotalSeconds;
            if (!BenchContext.WaitQuiet(process.Pid, TimeSpan.FromSeconds(10), TimeSpan.Zero))
            {
                record.Notes.Add("rsync still running 10 s after convergence");
            }
        }
        else
        {
            record["lag"] = record["total"] = double.PositiveInfinity;
            record.TimedOut = true;
            record.Notes.Add($"did not converge within {(Options.Timeout + tool.Delay).TotalSeconds:0} s");
        }

        CpuSample cpu = ProcessTree.Cpu(process.Pid) - cpuBefore;
        record["runs"] = Context.RsyncRuns - runsBefore;
        record["cpuDaemon"] = cpu.DaemonSeconds;
        record["cpuRsync"] = cpu.RsyncSeconds;
        record["peakRss"] = ProcessTree.Memory(process.Pid).PeakKiB / 1024.0;
        if (copier.ExitCode != 0)
        {
            record.Notes.Add($"cp exited {copier.ExitCode}");
        }

        CheckEqual(record, Source, Target);
    }

    private void Reset()
    {
        BenchContext.Empty(Source);
        BenchContext.Empty(Target);
    }

    private double Bytes() => (_originTree?.Entries.Where(e => e.Kind == EntryKind.File).Sum(e => e.Size) ?? 0) / 1e6;

    /// <summary>A small stand-in for /usr/include (smoke runs): nested directories, files of mixed sizes, a symlink.</summary>
    internal static void Generate(string root, int files)
    {
        var random = new Random(1);
        for (int i = 0; i < files; i++)
        {
            string directory = Path.Combine(root, $"g{i % 7}", $"h{i % 31}");
            Directory.CreateDirectory(directory);
            var bytes = new byte[random.Next(10, i % 50 == 0 ? 200_000 : 8_000)];
            random.NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(directory, $"file{i}.h"), bytes);
        }

        File.CreateSymbolicLink(Path.Combine(root, "link"), "g0/h0");
    }
}
