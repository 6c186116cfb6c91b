using System.Runtime.Versioning;

using Inosync.Testing;

namespace Inosync.Tests.Support;

/// <summary>
/// A shell script to use as the <c>rsync</c> binary: it appends a line to a log for each run, optionally sleeps,
/// optionally fails a set number of times with a given exit code, then execs the real /usr/bin/rsync.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RsyncWrapper : IDisposable
{
    private readonly TempTree _directory = new("inosync-rsync-wrapper-");

    public RsyncWrapper()
    {
        Path = _directory.PathOf("rsync");
        var script = $$"""
            #!/bin/sh
            dir='{{_directory.Root}}'
            echo run >> "$dir/runs"
            if [ -s "$dir/sleep" ]; then sleep "$(cat "$dir/sleep")"; fi
            if [ -s "$dir/fail-count" ]; then
              n=$(cat "$dir/fail-count")
              if [ "$n" -gt 0 ]; then
                echo $((n - 1)) > "$dir/fail-count"
                cat "$dir/fail-stderr" >&2
                exit "$(cat "$dir/fail-code")"
              fi
            fi
            exec /usr/bin/rsync "$@"
            """;
        File.WriteAllText(Path, script.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The script's path: the RsyncPath to configure.</summary>
    public string Path { get; }

    /// <summary>How many times the script has run.</summary>
    public int Runs => File.Exists(_directory.PathOf("runs")) ? File.ReadAllLines(_directory.PathOf("runs")).Length : 0;

    /// <summary>Every later run sleeps this long before rsync starts (zero: no sleep).</summary>
    public void SleepBeforeRun(TimeSpan delay) =>
        File.WriteAllText(_directory.PathOf("sleep"), delay > TimeSpan.Zero ? delay.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "");

    /// <summary>The next <paramref name="times"/> runs exit with <paramref name="exitCode"/> and print <paramref name="stderr"/>, without running rsync.</summary>
    public void FailNext(int times, int exitCode, string stderr = "wrapper: simulated failure")
    {
        File.WriteAllText(_directory.PathOf("fail-stderr"), stderr + "\n");
        File.WriteAllText(_directory.PathOf("fail-code"), exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(_directory.PathOf("fail-count"), times.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _directory.Dispose();
}
