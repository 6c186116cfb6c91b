using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>Launch on a big, mirrored directory tree: how soon changes reach the target, memory, and idle CPU.</summary>
internal sealed class StartupWorkload : Workload
{
    private const int DeepLevels = 12;
    private string _deep = "";
    private int _directories;

    public StartupWorkload(BenchContext context)
        : base(context)
    {
    }

    public override string Name => "startup";

    public override string Title => "Startup, memory and idle";

    public override string Method => BenchContext.Invariant($"""
        {_directories:N0} directories (no files), already mirrored. The clock starts when the tool is launched; from then on the
        benchmark writes a new probe file at the root and one in a directory {DeepLevels + 1} levels deep every 20 ms (every 250 ms
        after 3 s) and records when the first of each kind appears on the target. Then, once the target equals the
        source and no rsync has run for 2 s, **RSS** (VmRSS) of the tool's own processes, their **peak**
        (VmHWM) so far, and **idle CPU**: utime+stime of the tool and its children over {Options.Idle.TotalSeconds:0} s with nothing happening
        ({_directories:N0} watches). **Floor**: one `rsync -a --delete SRC/ TARGET/` of the mirrored tree (nothing to transfer), the
        initial sync that inosync and lsyncd run at startup.
        """);

    public override IReadOnlyList<Metric> Metrics { get; } =
    [
        new("root", "root probe (s)", "{0:0.000}"),
        new("deep", "deep probe (s)", "{0:0.000}"),
        new("rss", "RSS after ready (MiB)", "{0:0.0}"),
        new("peakRss", "peak RSS (MiB)", "{0:0.0}"),
        new("idleCpu", "idle CPU (s)", "{0:0.00}"),
    ];

    public override void Prepare()
    {
        BenchContext.Empty(Root);
        int fanout = Options.StartupDirectories >= 2_000 ? 20 : 5;
        int leaves = Math.Max(1, (Options.StartupDirectories - fanout - (fanout * fanout) - DeepLevels - 1) / (fanout * fanout));
        for (int a = 0; a < fanout; a++)
        {
            for (int b = 0; b < fanout; b++)
            {
                for (int c = 0; c < leaves; c++)
                {
                    Directory.CreateDirectory(Path.Combine(Source, $"a{a:D2}", $"b{b:D2}", $"c{c:D2}"));
                }
            }
        }

        _deep = Path.Combine(["deep", .. Enumerable.Range(1, DeepLevels).Select(i => $"level{i}")]);
        Directory.CreateDirectory(Path.Combine(Source, _deep));
        _directories = TreeSnapshot.Read(Source).DirectoryCount;
        Context.Mirror(Source, Target);
    }

    public override bool RunFloor(RunRecord record)
    {
        RemoveProbes();
        record["root"] = BenchContext.RunCommand(Context.Rsync, "-a", "--delete", Source + "/", Target + "/").TotalSeconds;
        CheckEqual(record, Source, Target);
        return true;
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        RemoveProbes();
        TimeSpan timeout = Options.Timeout + tool.Delay;
        var clock = Stopwatch.StartNew();
        using ToolProcess process = tool.Start(Source, Target, Context.Rsync, Context.Scratch, $"startup-{tool.Name}-{record.Run}");
        var probes = new List<(string Path, bool Deep)>();
        TimeSpan? root = null;
        TimeSpan? deep = null;
        TimeSpan next = TimeSpan.Zero;
        while ((root is null || deep is null) && clock.Elapsed < timeout && !process.HasExited)
        {
            if (clock.Elapsed >= next)
            {
                int n = probes.Count;
                if (root is null)
                {
                    probes.Add(($".probe-root-{n}", false));
                }

                if (deep is null)
                {
                    probes.Add(($"{_deep}/.probe-deep-{n}", true));
                }

                foreach ((string path, _) in probes.Skip(n))
                {
                    NewFile.Write(Path.Combine(Source, path), System.Text.Encoding.UTF8.GetBytes(path));
                }

                next = clock.Elapsed + TimeSpan.FromMilliseconds(clock.Elapsed < TimeSpan.FromSeconds(3) ? 20 : 250);
            }

            foreach ((string path, bool isDeep) in probes)
            {
                if ((isDeep ? deep : root) is null && File.Exists(Path.Combine(Target, path)))
                {
                    TimeSpan at = clock.Elapsed;
                    if (isDeep)
                    {
                        deep = at;
                    }
                    else
                    {
                        root = at;
                    }
                }
            }

            Thread.Sleep(2);
        }

        record["root"] = root?.TotalSeconds ?? double.PositiveInfinity;
        record["deep"] = deep?.TotalSeconds ?? double.PositiveInfinity;
        if (root is null || deep is null)
        {
            record.TimedOut = true;
            record.Notes.Add(process.HasExited ? $"exited: {process.LogTail(3).ReplaceLineEndings(" ")}" : $"no probe within {timeout.TotalSeconds:0} s");
            CheckEqual(record, Source, Target);
            return;
        }

        // A tool that leaves the target unequal is wrong (CheckEqual below says how), but its memory and idle CPU
        // are still measured.
        if (BenchContext.TryWaitEqual(process, tool, Source, Target, TimeSpan.FromSeconds(10) + tool.Delay) is { } problem)
        {
            record.Notes.Add(problem);
        }

        // Idle means idle: a tool still working through the probes' events (the shell loop runs one full rsync per
        // event) is waited for, up to a minute.
        if (!BenchContext.WaitQuiet(process.Pid, TimeSpan.FromSeconds(60) + tool.Delay, TimeSpan.FromSeconds(2)))
        {
            record.Notes.Add("still running rsync a minute after the probes: idle measured anyway");
        }

        (long rss, long peak) = ProcessTree.Memory(process.Pid);
        record["rss"] = rss / 1024.0;
        record["peakRss"] = peak / 1024.0;

        CpuSample before = ProcessTree.Cpu(process.Pid);
        Thread.Sleep(Options.Idle);
        record["idleCpu"] = (ProcessTree.Cpu(process.Pid) - before).TotalSeconds;
        CheckEqual(record, Source, Target);
    }

    private void RemoveProbes()
    {
        foreach (string side in new[] { Source, Target })
        {
            foreach (string directory in new[] { side, Path.Combine(side, _deep) })
            {
                foreach (string probe in Directory.EnumerateFiles(directory, ".*"))
                {
                    File.Delete(probe);
                }
            }
        }
    }
}
