using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>One big file already mirrored: an append, then a same-size overwrite in its middle.</summary>
internal sealed class BigFileWorkload : Workload
{
    private const string FileName = "big.bin";
    private const int AppendBytes = 1 << 20;
    private const int OverwriteBytes = 4096;

    public BigFileWorkload(BenchContext context)
        : base(context)
    {
    }

    public override string Name => "bigfile";

    public override string Title => "Big file: append, overwrite in the middle";

    public override string Method => BenchContext.Invariant($"""
        One file of {Options.BigFileMebibytes:N0} MiB of random bytes, already mirrored to a local target; the tool is started and ready. **append**: 1 MiB
        appended (one write, then close), and the time until the target's copy has the new size and ends with those bytes.
        **overwrite**: then 4 KiB in the middle overwritten in place (the size stays), and the time until the target's
        copy holds them. The target is polled every 5 ms; before each step the tool is quiet and `sync` has flushed the disk. **Floor**: the same step,
        then one `rsync -a FILE TARGET/` started by the benchmark at once, timed the same way.
        """);

    public override IReadOnlyList<Metric> Metrics { get; } =
    [
        new("append", "append (ms)", "{0:0}"),
        new("overwrite", "overwrite (ms)", "{0:0}"),
    ];

    private string SourceFile => Path.Combine(Source, FileName);

    private string TargetFile => Path.Combine(Target, FileName);

    public override void Prepare()
    {
        BenchContext.Empty(Root);
        Directory.CreateDirectory(Source);
        var chunk = new byte[1 << 20];
        using (var file = new FileStream(SourceFile, FileMode.CreateNew, FileAccess.Write))
        {
            for (int i = 0; i < Options.BigFileMebibytes; i++)
            {
                Context.Random.NextBytes(chunk);
                file.Write(chunk);
            }
        }

        Context.Mirror(Source, Target);
    }

    public override bool RunFloor(RunRecord record)
    {
        Context.Mirror(Source, Target);
        Steps(record, TimeSpan.FromSeconds(120), () =>
        {
            var startInfo = new ProcessStartInfo(Context.Rsync) { UseShellExecute = false, ArgumentList = { "-a", SourceFile, Target + "/" } };
            return Process.Start(startInfo)!;
        });
        CheckEqual(record, Source, Target);
        return true;
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        Context.Mirror(Source, Target);
        using ToolProcess process = Context.StartReady(tool, Source, Target, Context.Rsync, $"bigfile-{tool.Name}-{record.Run}");
        Steps(record, Options.Timeout + tool.Delay, afterWrite: null, process.Pid);
        BenchContext.WaitQuiet(process.Pid, TimeSpan.FromSeconds(10) + tool.Delay);
        CheckEqual(record, Source, Target);
    }

    private void Steps(RunRecord record, TimeSpan timeout, Func<Process>? afterWrite, int toolPid = 0)
    {
        var appended = new byte[AppendBytes];
        Context.Random.NextBytes(appended);
        long length = new FileInfo(SourceFile).Length;
        record["append"] = Step(record, "append", timeout, afterWrite, toolPid, () =>
        {
            using var file = new FileStream(SourceFile, FileMode.Append, FileAccess.Write);
            file.Write(appended);
        }, length + AppendBytes, length, appended);

        var patch = new byte[OverwriteBytes];
        Context.Random.NextBytes(patch);
        long middle = (length / 2) & ~(OverwriteBytes - 1L);
        record["overwrite"] = Step(record, "overwrite", timeout, afterWrite, toolPid, () =>
        {
            using var file = new FileStream(SourceFile, FileMode.Open, FileAccess.Write);
            file.Position = middle;
            file.Write(patch);
        }, length + AppendBytes, middle, patch);
    }

    private double Step(RunRecord record, string name, TimeSpan timeout, Func<Process>? afterWrite, int toolPid, Action write, long expectedLength, long offset, byte[] expected)
    {
        if (toolPid != 0)
        {
            BenchContext.WaitQuiet(toolPid, TimeSpan.FromSeconds(10));
        }

        // The previous step left a gigabyte of dirty pages; their writeback would slow whichever copy runs next.
        BenchContext.RunCommand("sync");
        var clock = Stopwatch.StartNew();
        write();
        using Process? rsync = afterWrite?.Invoke();
        bool arrived = Convergence.Until(() => Holds(expectedLength, offset, expected), timeout, TimeSpan.FromMilliseconds(5));
        double elapsed = clock.Elapsed.TotalMilliseconds;
        rsync?.WaitForExit();
        if (!arrived)
        {
            record.Notes.Add($"{name}: not on the target after {timeout.TotalSeconds:0} s");
            record.TimedOut = true;
            return double.PositiveInfinity;
        }

        return elapsed;
    }

    private bool Holds(long expectedLength, long offset, byte[] expected)
    {
        try
        {
            using var file = new FileStream(TargetFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length != expectedLength)
            {
                return false;
            }

            var actual = new byte[expected.Length];
            file.Position = offset;
            file.ReadExactly(actual);
            return actual.AsSpan().SequenceEqual(expected);
        }
        catch (IOException)
        {
            return false; // replaced while we read it
        }
    }
}
