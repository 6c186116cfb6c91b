using System.Diagnostics;
using System.Globalization;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>The flood to many nodes: one tree copied in, mirrored to 1, 8 and 32 local targets at once.</summary>
internal sealed class NodesWorkload : Workload
{
    private readonly int[] _counts;
    private string _origin = "";

    public NodesWorkload(BenchContext context)
        : base(context)
    {
        _counts = context.Options.Smoke ? [1, 2] : [1, 8, 32];
        Metrics =
        [
            .. _counts.SelectMany(n => new Metric[]
            {
                new($"lag{n}", $"{n} nodes: time to converge (s)", "{0:0.00}"),
                new($"cpu{n}", $"{n} nodes: CPU (s)", "{0:0.00}"),
            }),
        ];
    }

    public override string Name => "nodes";

    public override string Title => $"Many nodes: a flood to {string.Join(", ", _counts)} local targets";

    public override string Method => BenchContext.Invariant($"""
        A generated tree ({Options.FloodGeneratedFiles:N0} files in 224 directories, as the flood's stand-in) copied with
        `cp -a` into the watched directory of a tool that is ready and mirrors it to N local targets at once, for N =
        {string.Join(", ", _counts)}: inosync with one `[[node]]` per target (`max_processes` at its default, 2 × cores,
        at least 4), lsyncd with one `sync` block per target (its documented way; each sync runs its own rsync). **Time to
        converge** is from the start of the copy until every target equals the source; **CPU** is utime+stime of the
        tool and all its rsync children until no rsync runs. With many nodes, what counts is how the tool shares two
        cores between 32 rsyncs. Each tool gets 2 s, and then until no rsync runs, to start before the readiness probe:
        lsyncd with 32 sync blocks lost the probe files written while its 32 initial rsyncs ran, and never converged.
        """);

    public override IReadOnlyList<Metric> Metrics { get; }

    public override void Prepare()
    {
        BenchContext.Empty(Root);
        _origin = Path.Combine(Root, "origin", "tree");
        FloodWorkload.Generate(_origin, Options.FloodGeneratedFiles);
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        foreach (int count in _counts)
        {
            string[] targets = [.. Enumerable.Range(1, count).Select(i => Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"dst{i}")))];
            BenchContext.Empty(Source);
            foreach (string target in targets)
            {
                BenchContext.Empty(target);
            }

            using ToolProcess process = Context.StartReady(
                tool, Source, targets, Context.CountingRsync, $"nodes{count}-{tool.Name}-{record.Run}", settle: TimeSpan.FromSeconds(2));
            CpuSample cpuBefore = ProcessTree.Cpu(process.Pid);
            var clock = Stopwatch.StartNew();
            BenchContext.RunCommand("cp", "-a", "-t", Source, _origin);
            var expected = TreeSnapshot.Read(Source);
            TimeSpan? last = TimeSpan.Zero;
            foreach (string target in targets)
            {
                last = Convergence.WaitFor(expected, target, compareModified: true, clock, Options.Timeout + tool.Delay);
                if (last is null)
                {
                    break;
                }
            }

            if (last is { } converged)
            {
                record[$"lag{count}"] = converged.TotalSeconds;
                BenchContext.WaitQuiet(process.Pid, TimeSpan.FromSeconds(10), TimeSpan.Zero);
            }
            else
            {
                record[$"lag{count}"] = double.PositiveInfinity;
                record.TimedOut = true;
                record.Notes.Add(BenchContext.Invariant($"{count} nodes: did not converge within {(Options.Timeout + tool.Delay).TotalSeconds:0} s"));
            }

            CpuSample cpu = ProcessTree.Cpu(process.Pid) - cpuBefore;
            record[$"cpu{count}"] = cpu.DaemonSeconds + cpu.RsyncSeconds;
            foreach (string target in targets)
            {
                CheckEqual(record, Source, target);
            }

            if (record.TimedOut)
            {
                return;
            }
        }
    }
}
