using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>One new small file at a time in a mirrored tree: how long until the target holds it.</summary>
internal sealed class LatencyWorkload : Workload
{
    private const int FilesPerDirectory = 100;
    private readonly List<string> _directories = [];

    public LatencyWorkload(BenchContext context)
        : base(context)
    {
    }

    public override string Name => "latency";

    public override string Title => "Latency: one new file";

    public override string Method => BenchContext.Invariant($"""
        A tree of {Options.LatencyFiles:N0} small files in {_directories.Count:N0} directories, already mirrored; the tool is started and ready.
        {Options.LatencySamples} times: write one new file of 100–400 bytes into a random directory, then poll the target (every 1 ms)
        until it holds the same bytes. Between samples the benchmark waits until no rsync runs and then 20–80 ms, so each
        sample is one change on an idle tool (otherwise rsync's own ~40 ms exit would be measured). A tool that delays on
        purpose gets {Options.DelayedLatencySamples} samples per run. **Floor**: the same write, then one `rsync -a FILE TARGET/DIR/` started by the
        benchmark at once, timed the same way. p50/p90/p99/max per run; the table shows the median of each over the runs.
        """);

    public override IReadOnlyList<Metric> Metrics { get; } =
    [
        new("p50", "p50 (ms)", "{0:0.0}"),
        new("p90", "p90 (ms)", "{0:0.0}"),
        new("p99", "p99 (ms)", "{0:0.0}"),
        new("max", "max (ms)", "{0:0.0}"),
    ];

    public override void Prepare()
    {
        BenchContext.Empty(Root);
        Directory.CreateDirectory(Source);
        int leaves = Math.Max(1, (Options.LatencyFiles + FilesPerDirectory - 1) / FilesPerDirectory);
        int top = (int)Math.Ceiling(Math.Sqrt(leaves));
        int made = 0;
        for (int t = 0; t < top && made < Options.LatencyFiles; t++)
        {
            for (int l = 0; l < top && made < Options.LatencyFiles; l++)
            {
                string relative = $"d{t:D2}/d{l:D2}";
                Directory.CreateDirectory(Path.Combine(Source, relative));
                _directories.Add(relative);
                for (int f = 0; f < FilesPerDirectory && made < Options.LatencyFiles; f++, made++)
                {
                    File.WriteAllBytes(Path.Combine(Source, relative, $"f{f:D3}"), RandomBytes(32, 512));
                }
            }
        }

        Context.Mirror(Source, Target);
    }

    public override bool RunFloor(RunRecord record)
    {
        Context.Mirror(Source, Target);
        Sample(record, Options.LatencySamples, $"floor-{record.Run}", TimeSpan.FromSeconds(30), (file, directory) =>
        {
            var startInfo = new ProcessStartInfo(Context.Rsync) { UseShellExecute = false, ArgumentList = { "-a", file, directory + "/" } };
            return Process.Start(startInfo)!;
        });
        CheckEqual(record, Source, Target);
        return true;
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        Context.Mirror(Source, Target);
        using ToolProcess process = Context.StartReady(tool, Source, Target, Context.Rsync, $"latency-{tool.Name}-{record.Run}");
        int samples = tool.Delay > TimeSpan.Zero ? Options.DelayedLatencySamples : Options.LatencySamples;
        Sample(record, samples, $"{tool.Name}-{record.Run}", TimeSpan.FromSeconds(30) + tool.Delay, afterWrite: null, process.Pid);
        if (!BenchContext.WaitQuiet(process.Pid, TimeSpan.FromSeconds(10) + tool.Delay))
        {
            record.Notes.Add("still running rsync 10 s after the last sample");
        }

        CheckEqual(record, Source, Target);
    }

    private void Sample(RunRecord record, int count, string tag, TimeSpan timeout, Func<string, string, Process>? afterWrite, int toolPid = 0)
    {
        for (int i = 0; i < count; i++)
        {
            string directory = _directories[Context.Random.Next(_directories.Count)];
            string relative = $"{directory}/lat-{tag}-{i:D3}";
            string file = Path.Combine(Source, relative);
            string copy = Path.Combine(Target, relative);
            byte[] content = RandomBytes(100, 400);

            var clock = Stopwatch.StartNew();
            NewFile.Write(file, content);
            using Process? rsync = afterWrite?.Invoke(file, Path.Combine(Target, directory));
            bool arrived = Convergence.Until(() => HasContent(copy, content), timeout, TimeSpan.FromMilliseconds(1));
            double elapsed = clock.Elapsed.TotalMilliseconds;
            record.Samples.Add(arrived ? elapsed : double.PositiveInfinity);
            rsync?.WaitForExit();

            if (!arrived)
            {
                record.Notes.Add($"sample {i}: not on the target after {timeout.TotalSeconds:0} s");
                record.TimedOut = true;
                break;
            }

            if (toolPid != 0)
            {
                BenchContext.WaitQuiet(toolPid, TimeSpan.FromSeconds(10), TimeSpan.Zero);
            }

            Thread.Sleep(Context.Random.Next(20, 81));
        }

        record["p50"] = Stats.Percentile(record.Samples, 50);
        record["p90"] = Stats.Percentile(record.Samples, 90);
        record["p99"] = Stats.Percentile(record.Samples, 99);
        record["max"] = record.Samples.Max();
    }

    private static bool HasContent(string path, byte[] content)
    {
        try
        {
            return new FileInfo(path) is { Exists: true } info && info.Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
        }
        catch (IOException)
        {
            return false; // replaced while we read it
        }
    }

    private byte[] RandomBytes(int min, int max)
    {
        var bytes = new byte[Context.Random.Next(min, max + 1)];
        Context.Random.NextBytes(bytes);
        return bytes;
    }
}
