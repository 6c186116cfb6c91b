using System.Diagnostics;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;
using Inosync.Testing.Servers;

namespace Inosync.Benchmarks.Workloads;

/// <summary>One big file already mirrored: an append, then a same-size overwrite in its middle; to a local target, then
/// to a target reached through ssh (a real sshd on 127.0.0.1).</summary>
internal sealed class BigFileWorkload : Workload
{
    private const string FileName = "big.bin";
    private const int AppendBytes = 1 << 20;
    private const int OverwriteBytes = 4096;

    private SshServer? _sshd;

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
        then one `rsync -a FILE TARGET/` started by the benchmark at once, timed the same way. **over ssh**: the same two
        steps with the tool started again on a second target reached through ssh (an sshd on 127.0.0.1 started by the
        benchmark, public-key login; inosync's `ssh` key, lsyncd's `rsync.rsh`); there rsync sends a delta and reads
        both copies, and the floor is `rsync -a -e SSH FILE HOST:TARGET/`.
        """);

    public override IReadOnlyList<Metric> Metrics { get; } =
    [
        new("append", "append (ms)", "{0:0}"),
        new("overwrite", "overwrite (ms)", "{0:0}"),
        new("sshAppend", "append over ssh (ms)", "{0:0}"),
        new("sshOverwrite", "overwrite over ssh (ms)", "{0:0}"),
    ];

    private string SourceFile => Path.Combine(Source, FileName);

    private string SshTarget => Path.Combine(Root, "dst-ssh");

    /// <summary>The local target, or the one reached through <paramref name="ssh"/>.</summary>
    private string TargetOf(SshLogin? ssh) => ssh is null ? Target : SshTarget;

    private SshLogin Ssh => new(_sshd!.Node.TrimEnd(':'), _sshd.SshCommand);

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
        Context.Mirror(Source, SshTarget);
        _sshd = SshServer.StartNewAsync().GetAwaiter().GetResult();
    }

    public override bool RunFloor(RunRecord record)
    {
        foreach (SshLogin? ssh in new[] { null, Ssh })
        {
            string target = TargetOf(ssh);
            Context.Mirror(Source, target);
            string[] arguments = ssh is null ? ["-a", SourceFile, target + "/"] : ["-e", ssh.Command, "-a", SourceFile, ssh.Remote(target) + "/"];
            Steps(record, ssh, TimeSpan.FromSeconds(120), () => Process.Start(new ProcessStartInfo(Context.Rsync, arguments) { UseShellExecute = false })!);
            CheckEqual(record, Source, target);
        }

        return true;
    }

    public override void RunTool(SyncTool tool, RunRecord record)
    {
        foreach (SshLogin? ssh in new[] { null, Ssh })
        {
            string target = TargetOf(ssh);
            Context.Mirror(Source, target);
            using ToolProcess process = Context.StartReady(tool, Source, target, Context.Rsync, $"bigfile-{(ssh is null ? "" : "ssh-")}{tool.Name}-{record.Run}", ssh);
            Steps(record, ssh, Options.Timeout + tool.Delay, afterWrite: null, process.Pid);
            BenchContext.WaitQuiet(process.Pid, TimeSpan.FromSeconds(10) + tool.Delay);
            CheckEqual(record, Source, target);
            if (record.TimedOut)
            {
                return;
            }
        }
    }

    public override void Cleanup()
    {
        _sshd?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sshd = null;
        base.Cleanup();
    }

    private void Steps(RunRecord record, SshLogin? ssh, TimeSpan timeout, Func<Process>? afterWrite, int toolPid = 0)
    {
        string targetFile = Path.Combine(TargetOf(ssh), FileName);
        string prefix = ssh is null ? "" : "ssh";
        var appended = new byte[AppendBytes];
        Context.Random.NextBytes(appended);
        long length = new FileInfo(SourceFile).Length;
        record[Key(prefix, "append")] = Step(record, Key(prefix, "append"), targetFile, timeout, afterWrite, toolPid, () =>
        {
            using var file = new FileStream(SourceFile, FileMode.Append, FileAccess.Write);
            file.Write(appended);
        }, length + AppendBytes, length, appended);

        var patch = new byte[OverwriteBytes];
        Context.Random.NextBytes(patch);
        long middle = (length / 2) & ~(OverwriteBytes - 1L);
        record[Key(prefix, "overwrite")] = Step(record, Key(prefix, "overwrite"), targetFile, timeout, afterWrite, toolPid, () =>
        {
            using var file = new FileStream(SourceFile, FileMode.Open, FileAccess.Write);
            file.Position = middle;
            file.Write(patch);
        }, length + AppendBytes, middle, patch);
    }

    /// <summary>"append", or with the "ssh" prefix "sshAppend".</summary>
    private static string Key(string prefix, string step) => prefix.Length == 0 ? step : prefix + char.ToUpperInvariant(step[0]) + step[1..];

    private static double Step(RunRecord record, string name, string targetFile, TimeSpan timeout, Func<Process>? afterWrite, int toolPid, Action write, long expectedLength, long offset, byte[] expected)
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
        bool arrived = Convergence.Until(() => Holds(targetFile, expectedLength, offset, expected), timeout, TimeSpan.FromMilliseconds(5));
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

    private static bool Holds(string targetFile, long expectedLength, long offset, byte[] expected)
    {
        try
        {
            using var file = new FileStream(targetFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
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
