using System.Diagnostics;
using System.Threading.Channels;
using Inosync.Filtering;
using Inosync.Tests.Support;
using Inosync.Watching;
using Serilog;

namespace Inosync.Tests.Watching;

/// <summary>
/// Runs a watcher into a real channel and lets a test wait for the changes it expects, bounded in time: nothing is
/// asserted after a fixed sleep. Absence is asserted with a sentinel: the test writes a marker file after the action
/// that must not be reported, waits for the marker's change, and checks what came before it (events are ordered).
/// </summary>
internal sealed class ChangeRecorder : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Channel<FsChange> _channel;
    private readonly List<FsChange> _seen = [];
    private int _cursor;
    private int _sentinels;

    private ChangeRecorder(IChangeWatcher watcher, Channel<FsChange> channel, string root, LogCapture logs)
    {
        Watcher = watcher;
        _channel = channel;
        Root = root;
        Logs = logs;
    }

    public IChangeWatcher Watcher { get; }

    public string Root { get; }

    public LogCapture Logs { get; }

    public int InitialWatchCount { get; private set; }

    /// <summary>Every change read so far, in order.</summary>
    public IReadOnlyList<FsChange> Seen => _seen;

    public static WatcherOptions Options(string root, PathFilter? filter, LogCapture logs) =>
        new(root, filter ?? PathFilter.None, new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(logs).CreateLogger());

    public static async Task<ChangeRecorder> StartAsync(
        string root,
        PathFilter? filter = null,
        Func<WatcherOptions, WatcherOptions>? configure = null,
        bool portable = false,
        int? capacity = null,
        Func<ControlledInotify>? inotify = null)
    {
        var logs = new LogCapture();
        WatcherOptions options = Options(root, filter, logs);
        options = configure?.Invoke(options) ?? options;
        IChangeWatcher watcher = portable || !OperatingSystem.IsLinux() ? new PortableWatcher(options)
            : inotify is not null ? new InotifyWatcher(options, inotify)
            : new InotifyWatcher(options);
        Channel<FsChange> channel = capacity is int c
            ? Channel.CreateBounded<FsChange>(new BoundedChannelOptions(c) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true })
            : Channel.CreateUnbounded<FsChange>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var recorder = new ChangeRecorder(watcher, channel, root, logs);
        try
        {
            recorder.InitialWatchCount = await watcher.StartAsync(channel.Writer, CancellationToken.None);
        }
        catch
        {
            await watcher.DisposeAsync();
            throw;
        }

        return recorder;
    }

    /// <summary>Waits until a change matching <paramref name="match"/> arrives after the previous match.</summary>
    public async Task<FsChange> WaitForAsync(Func<FsChange, bool> match, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        int next = _cursor;
        while (true)
        {
            for (; next < _seen.Count; next++)
            {
                if (match(_seen[next]))
                {
                    _cursor = next + 1;
                    return _seen[next];
                }
            }

            try
            {
                FsChange change = await _channel.Reader.ReadAsync(cts.Token);
                _seen.Add(change);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {what} within {(timeout ?? Timeout).TotalSeconds:0.#} s. Seen after the last match:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, _seen.Skip(_cursor)));
            }
        }
    }

    public Task<FsChange> WaitForAsync(FsChangeKind kind, string path, TimeSpan? timeout = null) =>
        WaitForAsync(c => c.Kind == kind && c.Path == path, $"{kind} {path}", timeout);

    /// <summary>Writes a marker file, waits for its change, and returns everything that arrived before it since the
    /// previous match.</summary>
    public async Task<IReadOnlyList<FsChange>> ChangesUntilSentinelAsync()
    {
        int from = _cursor;
        string name = $"sentinel-{++_sentinels}";
        await File.WriteAllTextAsync(Path.Combine(Root, name), "x");
        await WaitForAsync(c => c.Path == name, $"change of {name}");
        return _seen.Skip(from).TakeWhile(c => c.Path != name).ToList();
    }

    /// <summary>Polls a condition (such as a watch count) until it holds, bounded in time.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (timeout ?? Timeout))
            {
                throw new TimeoutException($"Not within {(timeout ?? Timeout).TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync() => await Watcher.DisposeAsync();
}
