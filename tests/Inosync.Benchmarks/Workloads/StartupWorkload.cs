using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>Launch on a big, mirrored directory tree: how soon changes reach the target, memory, and idle CPU.</summary>
internal sealed class StartupWorkload : Workload
{
    private const int DeepLevels = 12;

    /// <summary>The small tree: where a tool's own start-up, not its walk, decides how soon it syncs.</summary>
    private const int SmallDirectories = 500;

    private string _deep = "";
    private int _directories;
    private int _smallDirectories;

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
        initial sync that inosync and lsyncd run at startup. **root probe, small tree**: the same root probe, measured
        before, on a tree of {_smallDirectories:N0} directories (the tool is then stopped).
        """);

    public override IReadOnlyList<Metric> Metrics { get; } =
    [
        new("smallRoot", "root probe, small tree (s)", "{0:0.000}"),
        new("root", "root probe (s)", "{0:0.000}"),
        new("deep", "deep probe (s)", "{0:0.000}"),
        new("rss", "RSS after ready (MiB)", "{0:0.0}"),
        new("peakRss", "peak RSS (MiB)", "{0:0.0}"),
        new("idleCpu", "idle CPU (s)", "{0:0.00}"),
    ];

    private string SmallSource => Path.Combine(Root, "small-src");

    private string SmallTarget => Path.Combine(Root, "small-dst");

    public override void Prepare()
    {
        BenchContext.Empty(Root);
        _deep = Path.Combine(["deep", .. Enumerable.Range(1, DeepLevels).Select(i => $"level{i}")]);
        _directories = Build(Source, Options.StartupDirectories);
        Context.Mirror(Source, Target);
        _smallDirectories = Build(SmallSource, Math.Min(SmallDirectories, Options.StartupDirectories));
        Context.Mirror(SmallSource, SmallTarget);
    }

    public override bool RunFloor(RunRecord record)
    {
        RemoveProbes();
        record["smallRoot"] = BenchContext.RunCommand(Context.Rsync, "-a", "--delete", SmallSource + "/", SmallTarget + "/").TotalSeconds;
        record["root"] = BenchContext.RunCommand(Context.Rsync, "-a", "--delete", Source + "/", Target + "/").TotalSeconds;
        CheckEqual(record, Source, Target);
        return true;
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        RemoveProbes();
        TimeSpan timeout = Options.Timeout + tool.Delay;
        var smallClock = Stopwatch.StartNew();
        using (ToolProcess small = tool.Start(SmallSource, SmallTarget, Context.Rsync, Context.Scratch, $"startup-small-{tool.Name}-{record.Run}"))
        {
            record["smallRoot"] = RootProbe(small, SmallSource, SmallTarget, smallClock, timeout)?.TotalSeconds ?? double.PositiveInfinity;
            if (BenchContext.TryWaitEqual(small, tool, SmallSource, SmallTarget, TimeSpan.FromSeconds(10) + tool.Delay) is { } unequal)
            {
                record.Notes.Add("small tree: " + unequal);
            }
        }

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

    /// <summary>A tree of about <paramref name="directories"/> directories (a{a}/b{b}/c{c} and the deep chain); how many it has.</summary>
    private int Build(string source, int directories)
    {
        int fanout = directories >= 2_000 ? 20 : 5;
        int leaves = Math.Max(1, (directories - fanout - (fanout * fanout) - DeepLevels - 1) / (fanout * fanout));
        for (int a = 0; a < fanout; a++)
        {
            for (int b = 0; b < fanout; b++)
            {
                for (int c = 0; c < leaves; c++)
                {
                    Directory.CreateDirectory(Path.Combine(source, $"a{a:D2}", $"b{b:D2}", $"c{c:D2}"));
                }
            }
        }

        Directory.CreateDirectory(Path.Combine(source, _deep));
        return TreeSnapshot.Read(source).DirectoryCount;
    }

    /// <summary>From the tool's launch (<paramref name="clock"/>) until a probe file written at the root (a new one every
    /// 20 ms) is on the target; null: not within the timeout.</summary>
    private static TimeSpan? RootProbe(ToolProcess process, string source, string target, Stopwatch clock, TimeSpan timeout)
    {
        var probes = new List<string>();
        TimeSpan next = TimeSpan.Zero;
        while (clock.Elapsed < timeout && !process.HasExited)
        {
            if (clock.Elapsed >= next)
            {
                string name = $".probe-root-{probes.Count}";
                NewFile.Write(Path.Combine(source, name), System.Text.Encoding.UTF8.GetBytes(name));
                probes.Add(name);
                next = clock.Elapsed + TimeSpan.FromMilliseconds(20);
            }

            if (probes.Exists(name => File.Exists(Path.Combine(target, name))))
            {
                return clock.Elapsed;
            }

            Thread.Sleep(2);
        }

        return null;
    }

    private void RemoveProbes()
    {
        foreach (string side in new[] { Source, Target, SmallSource, SmallTarget })
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
