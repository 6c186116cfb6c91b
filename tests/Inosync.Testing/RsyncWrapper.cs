using System.Globalization;
using System.Text;

namespace Inosync.Testing;

/// <summary>
/// A stand-in for the rsync binary: a small shell script that records each invocation in a log file, can
/// sleep or fail on purpose, and otherwise execs the real rsync with the same arguments and stdin. Tests point
/// the config's <c>rsync</c> key at <see cref="Path"/> and count runs with <see cref="Runs"/>.
/// </summary>
public sealed class RsyncWrapper
{
    public const string RealRsync = "/usr/bin/rsync";

    private RsyncWrapper(string path, string logPath)
    {
        Path = path;
        LogPath = logPath;
    }

    /// <summary>The script to use as the rsync binary.</summary>
    public string Path { get; }

    /// <summary>One line per invocation: "run" and the arguments, or "fail N" for an injected failure.</summary>
    public string LogPath { get; }

    /// <summary>How many times the wrapper was invoked so far (failed runs included).</summary>
    public int Runs => ReadLog().Length;

    /// <summary>The arguments of each run that reached rsync, joined with spaces.</summary>
    public IReadOnlyList<string> RunArguments => [.. ReadLog().Where(l => l.StartsWith("run", StringComparison.Ordinal)).Select(l => l.Length > 4 ? l[4..] : "")];

    /// <summary>How many invocations failed on purpose.</summary>
    public int InjectedFailures => ReadLog().Count(l => l.StartsWith("fail", StringComparison.Ordinal));

    /// <summary>Writes the wrapper into <paramref name="directory"/>.</summary>
    /// <param name="directory">Where the script and its log go.</param>
    /// <param name="sleepSeconds">Sleep this long before each real run (to make rsync slow, e.g. "0.5").</param>
    /// <param name="failWhileFileExists">While this file exists, every run fails with exit code 12 without running rsync.</param>
    /// <param name="failPercent">Fail this percentage of runs with exit code 12 (0 = never), spread evenly by a seeded sequence.</param>
    /// <param name="seed">Seed of the failure sequence.</param>
    public static RsyncWrapper Create(string directory, string? sleepSeconds = null, string? failWhileFileExists = null, int failPercent = 0, int seed = 1)
    {
        string path = System.IO.Path.Combine(directory, "rsync-wrapper.sh");
        string log = System.IO.Path.Combine(directory, "rsync-wrapper.log");
        string counter = System.IO.Path.Combine(directory, "rsync-wrapper.count");
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append("# test wrapper around rsync: logs each run, may sleep or fail on purpose\n");
        script.Append(CultureInfo.InvariantCulture, $"log={Quote(log)}\n");
        // inosync asks 'rsync --version' at startup (also with --pretend): that is not a sync run, don't count it.
        script.Append(CultureInfo.InvariantCulture, $"if [ \"$1\" = --version ]; then exec {RealRsync} --version; fi\n");
        if (failWhileFileExists is not null)
        {
            script.Append(CultureInfo.InvariantCulture, $"if [ -e {Quote(failWhileFileExists)} ]; then echo 'fail 12' >> \"$log\"; echo 'wrapper: injected failure' >&2; exit 12; fi\n");
        }

        if (failPercent > 0)
        {
            // Run n fails when (n + seed) * 37 mod 100 < failPercent, n kept in a counter file: the same seed fails the
            // same runs, and since 37 is coprime to 100 the failures are spread evenly (at 30 %, never more than four
            // runs in a row without one). A pseudo-random sequence went up to 19 runs without a failure for some seeds.
            script.Append(CultureInfo.InvariantCulture, $"n=$(cat {Quote(counter)} 2>/dev/null || echo 0); echo $((n + 1)) > {Quote(counter)}\n");
            script.Append(CultureInfo.InvariantCulture, $"r=$(( (n + {seed}) * 37 % 100 ))\n");
            script.Append(CultureInfo.InvariantCulture, $"if [ \"$r\" -lt {failPercent} ]; then echo 'fail 12' >> \"$log\"; echo 'wrapper: injected failure' >&2; exit 12; fi\n");
        }

        script.Append("echo \"run $*\" >> \"$log\"\n");
        if (sleepSeconds is not null)
        {
            script.Append(CultureInfo.InvariantCulture, $"sleep {sleepSeconds}\n");
        }

        script.Append(CultureInfo.InvariantCulture, $"exec {RealRsync} \"$@\"\n");
        File.WriteAllText(path, script.ToString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new RsyncWrapper(path, log);
    }

    private string[] ReadLog() => File.Exists(LogPath) ? File.ReadAllLines(LogPath) : [];

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private const string SteerableScript = "rsync-wrapper-steerable.sh";

    /// <summary>
    /// Writes a wrapper into <paramref name="directory"/> that the test steers while it runs, with
    /// <see cref="SleepBeforeRun"/> and <see cref="FailNext"/>: each run reads small control files next to the log.
    /// Runs and failures are logged as <see cref="Create"/>'s are.
    /// </summary>
    public static RsyncWrapper CreateSteerable(string directory)
    {
        string path = System.IO.Path.Combine(directory, SteerableScript);
        string log = System.IO.Path.Combine(directory, "rsync-wrapper.log");
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n");
        script.Append("# test wrapper around rsync: logs each run; the test sets sleeps and failures while it runs\n");
        script.Append(CultureInfo.InvariantCulture, $"log={Quote(log)}\n");
        script.Append(CultureInfo.InvariantCulture, $"control={Quote(System.IO.Path.Combine(directory, "rsync-wrapper."))}\n");
        script.Append(CultureInfo.InvariantCulture, $"if [ \"$1\" = --version ]; then exec {RealRsync} --version; fi\n");
        script.Append("if [ -s \"${control}fail-count\" ] && [ \"$(cat \"${control}fail-count\")\" -gt 0 ]; then\n");
        script.Append("  echo $(($(cat \"${control}fail-count\") - 1)) > \"${control}fail-count\"\n");
        script.Append("  code=$(cat \"${control}fail-code\"); echo \"fail $code\" >> \"$log\"; cat \"${control}fail-stderr\" >&2; exit \"$code\"\n");
        script.Append("fi\n");
        script.Append("echo \"run $*\" >> \"$log\"\n");
        script.Append("if [ -s \"${control}sleep\" ]; then sleep \"$(cat \"${control}sleep\")\"; fi\n");
        script.Append(CultureInfo.InvariantCulture, $"exec {RealRsync} \"$@\"\n");
        File.WriteAllText(path, script.ToString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new RsyncWrapper(path, log);
    }

    /// <summary>Every later run sleeps this long before rsync starts (zero: no sleep). For <see cref="CreateSteerable"/>'s wrapper.</summary>
    public void SleepBeforeRun(TimeSpan delay) =>
        File.WriteAllText(ControlFile("sleep"), delay > TimeSpan.Zero ? delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) : "");

    /// <summary>
    /// The next <paramref name="times"/> runs exit with <paramref name="exitCode"/> and print <paramref name="stderr"/>,
    /// without running rsync. For <see cref="CreateSteerable"/>'s wrapper.
    /// </summary>
    public void FailNext(int times, int exitCode, string stderr = "wrapper: simulated failure")
    {
        File.WriteAllText(ControlFile("fail-stderr"), stderr + "\n");
        File.WriteAllText(ControlFile("fail-code"), exitCode.ToString(CultureInfo.InvariantCulture));
        // The count last: a run that sees it also sees the code and the message.
        File.WriteAllText(ControlFile("fail-count"), times.ToString(CultureInfo.InvariantCulture));
    }

    private string ControlFile(string name) =>
        System.IO.Path.GetFileName(Path) == SteerableScript
            ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "rsync-wrapper." + name)
            : throw new InvalidOperationException("Only a wrapper made by CreateSteerable reads sleeps and failures while it runs.");
}
