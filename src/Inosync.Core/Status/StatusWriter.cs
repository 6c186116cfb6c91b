using System.Threading.Channels;
using Serilog;

namespace Inosync.Status;

/// <summary>
/// Keeps a status file (the JSON status_file, the Prometheus metrics_file) current: written once at
/// <see cref="Start"/>, then after each <see cref="Signal"/> but at most once per <c>minimumInterval</c> and only
/// when its content changed, and a last time at <see cref="DisposeAsync"/>. Each write replaces the file atomically.
/// </summary>
/// <remarks>
/// Implementation notes:
/// - No timers while idle: the loop sleeps on a capacity-1 channel that <see cref="Signal"/> writes to (a dropped
///   write means a write is already due). An idle daemon never touches the file.
/// - Coalescing: after a write, signals that arrive within the interval wait out the rest of it and then cost one
///   write together. The signal is taken before the snapshot, so a change after the snapshot always gets a write.
/// - One writer at a time: the first write happens before the loop starts and the last after it has ended.
/// - A failing write (disk full, directory removed) is logged once and retried on the next signal; it never stops
///   syncing. Only the first write, at start, throws: a wrong status_file should stop the daemon before it runs.
/// </remarks>
public sealed class StatusWriter : IAsyncDisposable
{
    private readonly string _path;
    private readonly Func<byte[]> _render;
    private readonly string _what;
    private readonly UnixFileMode _mode;
    private readonly ILogger _log;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _minimumInterval;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private long _lastWrite;
    private string? _lastError;
    private byte[]? _lastContent;
    private int _writes;
    private bool _started;
    private int _disposed;

    /// <param name="path">The file.</param>
    /// <param name="render">Builds the content to write; called on the writer's own task.</param>
    /// <param name="logger">Where write failures go.</param>
    /// <param name="timeProvider">The clock for the interval.</param>
    /// <param name="minimumInterval">At most one write per this interval while things change (1 s in the daemon).</param>
    /// <param name="what">What the file is, for log messages ("status file", "metrics file").</param>
    /// <param name="mode">The file's permissions (default 0640).</param>
    public StatusWriter(
        string path,
        Func<byte[]> render,
        ILogger logger,
        TimeProvider timeProvider,
        TimeSpan minimumInterval,
        string what = "status file",
        UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumInterval, TimeSpan.Zero);
        _path = path;
        _render = render;
        _what = what;
        _mode = mode;
        _log = logger.ForContext<StatusWriter>();
        _timeProvider = timeProvider;
        _minimumInterval = minimumInterval;
    }

    /// <summary>How many times the file has been written (for tests and the log).</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Writes the file once, then starts following <see cref="Signal"/>. Call once.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory is not writable.</exception>
    public void Start()
    {
        Write(_render());
        _started = true;
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Something in the document changed. Thread-safe, never blocks: at most a failed channel write.</summary>
    public void Signal() => _signals.Writer.TryWrite(true);

    /// <summary>Stops following signals and, if <see cref="Start"/> succeeded, writes the file a last time (the caller's final state).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
        if (_started)
        {
            TryWrite();
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (await _signals.Reader.WaitToReadAsync(stopping))
            {
                TimeSpan wait = _minimumInterval - _timeProvider.GetElapsedTime(Volatile.Read(ref _lastWrite));
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _timeProvider, stopping);
                }

                _signals.Reader.TryRead(out _);
                TryWrite();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposing: the final write follows.
        }
    }

    private void TryWrite()
    {
        try
        {
            Write(_render());
            if (_lastError is not null)
            {
                _log.Information("The {What:l} {Path} is written again", _what, _path);
                _lastError = null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Once per distinct problem: a full disk would otherwise log every second.
            if (ex.Message != _lastError)
            {
                _log.Warning("Cannot write the {What:l} {Path}: {Error}; retrying on the next change", _what, _path, ex.Message);
                _lastError = ex.Message;
            }
        }
    }

    private void Write(byte[] content)
    {
        // Unchanged: nothing to tell a reader, and no write to wake a collector or wear a disk.
        if (_lastContent is not null && content.AsSpan().SequenceEqual(_lastContent))
        {
            return;
        }

        StatusFile.WriteAtomically(_path, content, _mode);
        _lastContent = content;
        Volatile.Write(ref _lastWrite, _timeProvider.GetTimestamp());
        Interlocked.Increment(ref _writes);
    }
}
