using System.Diagnostics;
using Inosync.Testing;
using Inosync.Transfer;

namespace Inosync.Tests.Transfer;

/// <summary>The stalled-upload watch on real processes: one that holds a regular file open and moves nothing, one that holds none.</summary>
public sealed class UploadStallWatchTests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(2);

    private readonly TempTree _tree = new("inosync-stall-");

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task A_process_that_holds_a_file_open_and_moves_nothing_is_found_stalled()
    {
        _tree.WriteFile("growing.log", "a line\n");

        // tail -f waits on inotify for the file to change: the file open, nothing read or written.
        (bool fired, TimeSpan after) = await WatchAsync("tail", "-f", _tree.PathOf("growing.log"));

        fired.Should().BeTrue();
        after.Should().BeGreaterThanOrEqualTo(s_limit);
    }

    [Fact]
    public async Task A_process_that_holds_no_file_is_left_to_wait()
    {
        (bool fired, _) = await WatchAsync("sleep", "30");

        fired.Should().BeFalse("waiting without a file open (a slow server's reply) is net:timeout's to judge");
    }

    private static async Task<(bool Fired, TimeSpan After)> WatchAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        try
        {
            var watch = new UploadStallWatch(s_limit, TimeProvider.System);
            using var run = new CancellationTokenSource(s_limit * 3);
            var clock = Stopwatch.StartNew();
            await watch.WatchAsync(process.Id, run);
            return (watch.Fired, clock.Elapsed);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
