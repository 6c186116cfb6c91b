using System.Diagnostics;
using Inosync.Status;
using Inosync.Testing;
using Inosync.Tests.Support;
using Serilog.Events;

namespace Inosync.Tests.Status;

public sealed class StatusWriterTests : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly TempTree _dir = new();
    private readonly TimerCountingTimeProvider _time = new(StatusSamples.Now);
    private readonly LogCapture _log = new();
    private string _state = DaemonStates.Starting;
    private int _snapshots;

    public void Dispose() => _dir.Dispose();

    private string PathOfFile => _dir.PathOf("status.json");

    [Fact]
    public async Task Start_writes_at_once_and_dispose_writes_the_final_state()
    {
        await using (var writer = Create())
        {
            writer.Start();
            StatusFile.Read(PathOfFile).State.Should().Be(DaemonStates.Starting);
            _state = DaemonStates.Stopped;
        }

        StatusFile.Read(PathOfFile).State.Should().Be(DaemonStates.Stopped);
    }

    [Fact]
    public async Task Signals_within_the_interval_cost_one_write_after_it()
    {
        await using var writer = Create();
        writer.Start();

        for (int i = 0; i < 10; i++)
        {
            _state = $"change {i}";
            writer.Signal();
        }

        await Task.Delay(200);
        writer.Writes.Should().Be(1, "the last write was less than a second ago");

        _time.Advance(s_interval);
        await WaitUntilAsync(() => writer.Writes == 2);
        await Task.Delay(200);
        writer.Writes.Should().Be(2, "ten signals were coalesced into one write");
        StatusFile.Read(PathOfFile).State.Should().Be("change 9", "the write shows the latest state");
    }

    [Fact]
    public async Task A_signal_that_changed_nothing_writes_nothing()
    {
        await using var writer = Create();
        writer.Start();
        _time.Advance(s_interval);
        File.SetLastWriteTimeUtc(PathOfFile, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        writer.Signal();
        await WaitUntilAsync(() => _snapshots == 2);
        await Task.Delay(100);

        writer.Writes.Should().Be(1);
        File.GetLastWriteTimeUtc(PathOfFile).Year.Should().Be(2001, "the file was not replaced");
    }

    [Fact]
    public async Task Signal_after_a_quiet_interval_writes_at_once()
    {
        await using var writer = Create();
        writer.Start();
        _time.Advance(TimeSpan.FromSeconds(5));

        _state = DaemonStates.Running;
        writer.Signal();

        await WaitUntilAsync(() => writer.Writes == 2);
        StatusFile.Read(PathOfFile).State.Should().Be(DaemonStates.Running);
    }

    [Fact]
    public async Task Idle_writer_has_no_timer_and_takes_no_snapshots()
    {
        await using var writer = Create();
        writer.Start();
        _state = DaemonStates.Running;
        writer.Signal();
        _time.Advance(s_interval);
        await WaitUntilAsync(() => writer.Writes == 2);

        int snapshots = _snapshots;
        await Task.Delay(300);

        _time.ActiveTimers.Should().Be(0, "an idle writer waits on a signal, not a timer");
        _snapshots.Should().Be(snapshots);
    }

    [Fact]
    public async Task Start_throws_when_the_file_cannot_be_written()
    {
        File.WriteAllText(_dir.PathOf("not-a-directory"), "");
        await using var writer = Create(_dir.PathOf("not-a-directory/status.json"));

        writer.Invoking(w => w.Start()).Should().Throw<IOException>();
    }

    [Fact]
    public async Task Failing_write_later_is_logged_once_and_does_not_stop_the_writer()
    {
        string directory = _dir.PathOf("run");
        string path = Path.Combine(directory, "status.json");
        await using var writer = Create(path);
        writer.Start();

        // The directory is replaced by a file: every write fails until it is back.
        Directory.Delete(directory, recursive: true);
        File.WriteAllText(directory, "");
        for (int i = 0; i < 3; i++)
        {
            _time.Advance(s_interval);
            _state = $"change {i}";
            writer.Signal();
            await Task.Delay(100);
        }

        await WaitUntilAsync(() => _log.MessagesAt(LogEventLevel.Warning).Any());
        _log.MessagesAt(LogEventLevel.Warning).Should().ContainSingle().Which.Should().Contain("Cannot write the status file");

        File.Delete(directory);
        _time.Advance(s_interval);
        _state = DaemonStates.Running;
        writer.Signal();
        await WaitUntilAsync(() => File.Exists(path));
        await WaitUntilAsync(() => _log.MessagesAt(LogEventLevel.Information).Any(m => m.Contains("written again", StringComparison.Ordinal)));
    }

    private StatusWriter Create(string? path = null) =>
        new(path ?? PathOfFile, () => StatusFile.Serialize(Snapshot()), _log.Logger, _time, s_interval);

    private StatusDocument Snapshot()
    {
        Interlocked.Increment(ref _snapshots);
        return StatusSamples.Document(_state);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the condition should have become true");
            await Task.Delay(10);
        }
    }
}
