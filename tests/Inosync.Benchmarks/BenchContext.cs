using System.Diagnostics;
using System.Globalization;
using Inosync.Benchmarks.Measuring;
using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks;

/// <summary>What every workload shares: options, the rsync binary and its counting wrapper, scratch space, the
/// readiness protocol, progress output.</summary>
internal sealed class BenchContext
{
    private readonly string _runCounter;

    public BenchContext(BenchmarkOptions options, TextWriter progress)
    {
        Options = options;
        Progress = progress;
        Rsync = SyncTool.FindOnPath("rsync") ?? throw new InvalidOperationException("rsync is not installed (apt-get install rsync)");
        Directory.CreateDirectory(options.WorkDirectory);
        Scratch = Path.Combine(options.WorkDirectory, "logs");
        Directory.CreateDirectory(Scratch);
        _runCounter = Path.Combine(options.WorkDirectory, "rsync-runs");
        CountingRsync = Path.Combine(options.WorkDirectory, "rsync-counting");
        File.WriteAllText(CountingRsync, $"#!/bin/sh\nprintf x >> {ShellQuote(_runCounter)}\nexec {ShellQuote(Rsync)} \"$@\"\n");
        File.SetUnixFileMode(CountingRsync, (UnixFileMode)0b111_101_101);
    }

    public BenchmarkOptions Options { get; }

    public TextWriter Progress { get; }

    /// <summary>The real rsync.</summary>
    public string Rsync { get; }

    /// <summary>A /bin/sh wrapper that counts its runs, then execs rsync (about 1 ms each): used where rsync runs
    /// are counted (flood, backlog), for every tool alike.</summary>
    public string CountingRsync { get; }

    /// <summary>Where configs and logs of the tools go.</summary>
    public string Scratch { get; }

    public Random Random { get; } = new(20_251_121);

    /// <summary>How many times the counting wrapper ran so far.</summary>
    public long RsyncRuns => File.Exists(_runCounter) ? new FileInfo(_runCounter).Length : 0;

    public void Say(string line) => Progress.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");

    /// <summary>
    /// Starts a tool and waits until it works: probe files are written at the root of the source (a new one every
    /// 200 ms, so one written before the watches were in place does not count forever) until one shows up on the
    /// target; then until the target equals the source and no rsync has run for 300 ms.
    /// </summary>
    public ToolProcess StartReady(SyncTool tool, string source, string target, string rsync, string tag, SshLogin? ssh = null) =>
        StartReady(tool, source, [target], rsync, tag, ssh: ssh);

    /// <summary>As for one target: a probe file must reach every target, then every target must equal the source.
    /// <paramref name="settle"/>: wait this long, then until no rsync runs, before the first probe (a tool whose
    /// start-up loses what is written meanwhile, lsyncd with many sync blocks, is then measured after it).
    /// <paramref name="ssh"/>: the targets (local directories) are reached through it.</summary>
    public ToolProcess StartReady(SyncTool tool, string source, IReadOnlyList<string> targets, string rsync, string tag, TimeSpan settle = default, SshLogin? ssh = null)
    {
        ToolProcess process = tool.Start(source, targets, rsync, Scratch, tag, ssh);
        try
        {
            if (settle > TimeSpan.Zero)
            {
                Thread.Sleep(settle);
                WaitQuiet(process.Pid, Options.Timeout);
            }

            TimeSpan timeout = Options.Timeout + tool.Delay;
            var clock = Stopwatch.StartNew();
            var written = new List<string>();
            TimeSpan nextProbe = TimeSpan.Zero;
            while (!written.Exists(name => targets.All(target => File.Exists(Path.Combine(target, name)))))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{tool.Name} exited while starting: {process.LogTail(3).ReplaceLineEndings(" ")}");
                }

                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"{tool.Name} did not sync a probe file within {timeout.TotalSeconds:0} s (log: {process.LogPath})");
                }

                if (clock.Elapsed >= nextProbe)
                {
                    string name = $".bench-ready-{tag}-{written.Count}";
                    NewFile.Write(Path.Combine(source, name), System.Text.Encoding.UTF8.GetBytes(name));
                    written.Add(name);
                    nextProbe += TimeSpan.FromMilliseconds(200);
                }

                Thread.Sleep(5);
            }

            foreach (string target in targets)
            {
                WaitEqual(process, tool, source, target);
            }

            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the target equals the source (names, types, sizes, mtimes) and the tool is quiet.</summary>
    public void WaitEqual(ToolProcess process, SyncTool tool, string source, string target)
    {
        if (TryWaitEqual(process, tool, source, target, Options.Timeout + tool.Delay) is { } problem)
        {
            throw new TimeoutException(problem);
        }
    }

    /// <summary>As <see cref="WaitEqual"/>; returns what was wrong instead of throwing (null: equal and quiet).</summary>
    public static string? TryWaitEqual(ToolProcess process, SyncTool tool, string source, string target, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (Convergence.WaitFor(TreeSnapshot.Read(source), target, compareModified: true, clock, timeout, out string missing) is null)
        {
            return $"{tool.Name}: the target was not equal to the source after {timeout.TotalSeconds:0} s: {missing}";
        }

        WaitQuiet(process.Pid, TimeSpan.FromSeconds(10) + tool.Delay);
        return null;
    }

    /// <summary>Waits until no rsync has run below <paramref name="pid"/> for <paramref name="quietFor"/> (default
    /// 300 ms); false on timeout.</summary>
    public static bool WaitQuiet(int pid, TimeSpan timeout, TimeSpan? quietFor = null)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan quietSince = TimeSpan.Zero;
        while (clock.Elapsed < timeout)
        {
            if (ProcessTree.HasRsync(pid))
            {
                quietSince = clock.Elapsed;
            }
            else if (clock.Elapsed - quietSince >= (quietFor ?? TimeSpan.FromMilliseconds(300)))
            {
                return true;
            }

            Thread.Sleep(quietFor == TimeSpan.Zero ? 2 : 10);
        }

        return false;
    }

    /// <summary>Runs a command to completion (no shell); throws when it fails.</summary>
    public static TimeSpan RunCommand(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        TimeSpan elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        }

        return elapsed;
    }

    /// <summary>Makes the target an exact mirror of the source (untimed preparation).</summary>
    public void Mirror(string source, string target)
    {
        Directory.CreateDirectory(target);
        RunCommand(Rsync, "-a", "--delete", source + "/", target + "/");
    }

    /// <summary>Empties a directory (rm -rf of its entries) and makes sure it exists.</summary>
    public static void Empty(string directory)
    {
        if (Directory.Exists(directory))
        {
            RunCommand("rm", "-rf", "--", directory);
        }

        Directory.CreateDirectory(directory);
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
