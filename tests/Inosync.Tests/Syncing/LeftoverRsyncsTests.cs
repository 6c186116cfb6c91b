using System.Diagnostics;
using Inosync.Processes;

namespace Inosync.Tests.Syncing;

/// <summary>
/// Only processes of inosync's own user count as leftover rsyncs: another user's process whose arguments end in a
/// node's "SRC/ DST/" must neither delay the start nor be signalled.
/// </summary>
public sealed class LeftoverRsyncsTests : IDisposable
{
    private readonly string _source = $"/nonexistent/inosync-leftover-{Guid.NewGuid():N}/src/";
    private readonly string _destination = $"/nonexistent/inosync-leftover-{Guid.NewGuid():N}/dst/";
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (Process process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    [Fact]
    public void A_process_of_our_user_with_the_nodes_endpoints_is_found()
    {
        Process ours = StartLookalike(asUser: null);

        WaitFor(() => LeftoverRsyncs.Find(_source, _destination).Contains(ours.Id)).Should().BeTrue();
    }

    [Fact]
    public void A_process_of_another_user_with_the_nodes_endpoints_is_ignored()
    {
        if (Environment.UserName != "root")
        {
            return; // Only root can start a process as another user; CI runs as root.
        }

        Process theirs = StartLookalike(asUser: 65534);
        // setpriv's own command line ends the same way while it still runs as root: wait until it has become nobody.
        WaitFor(() => File.ReadAllLines($"/proc/{theirs.Id}/status").Any(line => line.StartsWith("Uid:\t65534\t", StringComparison.Ordinal)))
            .Should().BeTrue();

        LeftoverRsyncs.Find(_source, _destination).Should().NotContain(theirs.Id);
    }

    /// <summary>A shell that sleeps, with "SRC/ DST/" as its last arguments: what /proc shows of a leftover rsync.
    /// It is started through setsid so that it is not our child, as a leftover of a killed daemon is not.</summary>
    private Process StartLookalike(int? asUser)
    {
        string[] shell = ["/bin/sh", "-c", "sleep 30; :", "sh", _source, _destination];
        string[] command = asUser is { } uid
            ? ["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", .. shell]
            : shell;
        var process = Process.Start(new ProcessStartInfo("setsid", ["--fork", .. command]))!;
        process.WaitForExit();
        int pid = FindByDestination();
        var started = Process.GetProcessById(pid);
        _started.Add(started);
        return started;
    }

    private int FindByDestination()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out int pid))
                {
                    try
                    {
                        if (File.ReadAllText(dir + "/cmdline").EndsWith(_destination + "\0", StringComparison.Ordinal))
                        {
                            return pid;
                        }
                    }
                    catch (IOException)
                    {
                    }
                }
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException("the look-alike process did not start");
    }

    private static bool WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return false;
    }
}
