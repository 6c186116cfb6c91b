using System.Threading.Channels;
using Serilog;

namespace Inosync.Watching;

/// <summary>
/// Watches a tree with <see cref="FileSystemWatcher"/>: for macOS and Windows, and selectable on Linux.
/// </summary>
/// <remarks>
/// FileSystemWatcher raises its events on its own thread(s) and must not be held up, or its buffer overflows. So its
/// callbacks only translate and append to an unbounded internal queue, and one pump task drains that queue in order
/// into the (bounded) output channel, awaiting <c>WriteAsync</c> when the channel is full. The queue thus absorbs
/// bursts while the consumer is slow; its growth is bounded by the rate of file-system changes.
/// Differences from inotify: FileSystemWatcher does not say whether a deleted entry was a directory
/// (<see cref="FsChange.IsDirectory"/> is false for Deleted), excluded directories are watched by the OS but their
/// events are dropped here, and <see cref="WatchCount"/> is 1 (one recursive OS watch).
/// </remarks>
public sealed class PortableWatcher : IChangeWatcher
{
    // The largest buffer Windows accepts for a watch on a network share; plenty locally.
    private const int InternalBufferSize = 64 * 1024;

    private readonly WatcherOptions _options;
    private readonly string _root;
    private readonly ILogger _log;
    private readonly Channel<FsChange> _queue = Channel.CreateUnbounded<FsChange>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FileSystemWatcher? _watcher;
    private FileSystemWatcher? _rootWatcher;
    private Task? _pump;
    private int _startCalled;
    private int _disposed;

    public PortableWatcher(WatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Root);
        if (!Path.IsPathFullyQualified(options.Root))
        {
            throw new ArgumentException($"The watched root must be an absolute path: '{options.Root}'.", nameof(options));
        }

        _options = options;
        _root = Path.TrimEndingDirectorySeparator(options.Root);
        _log = options.Logger.ForContext<PortableWatcher>();
    }

    /// <inheritdoc />
    public int WatchCount => _watcher is null ? 0 : 1;

    /// <inheritdoc />
    public Task Completion => _completion.Task;

    /// <inheritdoc />
    public Task<int> StartAsync(ChannelWriter<FsChange> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _startCalled, 1) != 0)
        {
            throw new InvalidOperationException("The watcher was already started.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"The directory to watch does not exist or is not a directory: '{_root}'.");
        }

        var watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            InternalBufferSize = InternalBufferSize,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size |
                           NotifyFilters.LastWrite | NotifyFilters.Attributes,
        };
        watcher.Created += OnCreated;
        watcher.Changed += OnChanged;
        watcher.Deleted += OnDeleted;
        watcher.Renamed += OnRenamed;
        watcher.Error += OnError;

        _pump = PumpAsync(output);
        _watcher = watcher;
        watcher.EnableRaisingEvents = true;
        _rootWatcher = WatchRootItself();
        _log.Information("Watching {Root} with FileSystemWatcher", _root);
        return Task.FromResult(1);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop(_watcher);
        Stop(_rootWatcher);

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_pump is not null)
        {
            await _pump;
        }

        _completion.TrySetResult();
        _stopping.Dispose();
    }

    private static void Stop(FileSystemWatcher? watcher)
    {
        if (watcher is not null)
        {
            watcher.EnableRaisingEvents = false;
            watcher.Dispose();
        }
    }

    /// <summary>FileSystemWatcher does not report its own directory going away (on Linux it just stops), so the
    /// parent is watched for the root's name: the daemon must not keep running on nothing.</summary>
    private FileSystemWatcher? WatchRootItself()
    {
        string? parent = Path.GetDirectoryName(_root);
        string name = Path.GetFileName(_root);
        if (string.IsNullOrEmpty(parent) || name.Length == 0)
        {
            return null; // the root of a file system cannot be deleted or renamed
        }

        try
        {
            var watcher = new FileSystemWatcher(parent, name)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.DirectoryName,
            };
            watcher.Deleted += (_, _) => Fail(new DirectoryNotFoundException($"The watched directory '{_root}' was deleted."));
            watcher.Renamed += (_, e) =>
            {
                if (string.Equals(e.OldName, name, StringComparison.Ordinal))
                {
                    Fail(new IOException($"The watched directory '{_root}' was moved away."));
                }
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _log.Debug(ex, "Cannot watch the parent of {Root}; its deletion is noticed only through errors", _root);
            return null;
        }
    }

    private async Task PumpAsync(ChannelWriter<FsChange> output)
    {
        try
        {
            ChannelReader<FsChange> queue = _queue.Reader;
            while (await queue.WaitToReadAsync(_stopping.Token))
            {
                while (queue.TryRead(out FsChange? change))
                {
                    await output.WriteAsync(change, _stopping.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (ChannelClosedException)
        {
            _log.Information("The change channel for {Root} was closed; the watcher stops", _root);
        }
    }

    private void OnCreated(object sender, FileSystemEventArgs e)
    {
        if (Relative(e.FullPath) is not { } path)
        {
            return;
        }

        bool isDirectory = IsRealDirectory(e.FullPath);
        if (!IsExcluded(path, isDirectory))
        {
            Enqueue(new FsChange(isDirectory ? FsChangeKind.DirectoryCreated : FsChangeKind.Modified, path, isDirectory));
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        if (Relative(e.FullPath) is not { } path)
        {
            return;
        }

        bool isDirectory = IsRealDirectory(e.FullPath);
        if (!IsExcluded(path, isDirectory))
        {
            Enqueue(new FsChange(FsChangeKind.Modified, path, isDirectory));
        }
    }

    private void OnDeleted(object sender, FileSystemEventArgs e)
    {
        if (Relative(e.FullPath) is not { } path)
        {
            return;
        }

        // FileSystemWatcher does not say what the entry was; the downstream sync of the parent removes either kind.
        if (!IsExcluded(path, false))
        {
            Enqueue(new FsChange(FsChangeKind.Deleted, path));
        }

    }

    private void OnRenamed(object sender, RenamedEventArgs e)
    {
        string? oldPath = Relative(e.OldFullPath);
        string? newPath = Relative(e.FullPath);
        bool isDirectory = IsRealDirectory(e.FullPath);
        bool oldInside = oldPath is not null && !IsExcluded(oldPath, isDirectory);
        bool newInside = newPath is not null && !IsExcluded(newPath, isDirectory);

        if (oldInside && newInside)
        {
            Enqueue(new FsChange(FsChangeKind.Renamed, newPath!, isDirectory, oldPath));
        }
        else if (oldInside)
        {
            // Renamed to an excluded name: gone as far as the remote is concerned.
            Enqueue(new FsChange(FsChangeKind.Deleted, oldPath!, isDirectory));
        }
        else if (newInside)
        {
            // Renamed from an excluded name: it arrives.
            Enqueue(new FsChange(isDirectory ? FsChangeKind.DirectoryCreated : FsChangeKind.Modified, newPath!, isDirectory));
        }
    }

    private void OnError(object sender, ErrorEventArgs e)
    {
        Exception error = e.GetException();
        if (!Directory.Exists(_root))
        {
            Fail(new DirectoryNotFoundException($"The watched directory '{_root}' is gone.", error));
            return;
        }

        if (error is InternalBufferOverflowException)
        {
            _log.Warning("FileSystemWatcher lost changes under {Root} (buffer overflow); requesting a full sync", _root);
        }
        else
        {
            _log.Error(error, "FileSystemWatcher failed under {Root}; requesting a full sync", _root);
        }

        // Whatever went wrong, a full sync is the safe action.
        Enqueue(FsChange.Overflow);
    }

    private void Fail(Exception error)
    {
        if (_completion.TrySetException(error))
        {
            _log.Error(error, "The watched directory {Root} is gone; the watcher stops", _root);
        }
    }

    private void Enqueue(FsChange change)
    {
        // Unbounded: only fails once disposal completed the queue, when the change no longer matters.
        _queue.Writer.TryWrite(change);
    }

    /// <summary>Excluded itself, or inside an excluded directory (the OS watches those too; inotify would not).</summary>
    private bool IsExcluded(string path, bool isDirectory) => _options.Filter.IsExcluded(path, isDirectory);

    /// <summary>The path relative to the root with '/' separators, "" for the root, or null if outside it.</summary>
    private string? Relative(string fullPath)
    {
        string relative = Path.GetRelativePath(_root, fullPath);
        if (relative == ".")
        {
            return "";
        }

        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
            Path.IsPathRooted(relative))
        {
            return null;
        }

        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>A directory, not a symlink (or junction) to one.</summary>
    private static bool IsRealDirectory(string fullPath)
    {
        try
        {
            FileAttributes attributes = File.GetAttributes(fullPath);
            return (attributes & FileAttributes.Directory) != 0 && (attributes & FileAttributes.ReparsePoint) == 0;
        }
        catch (IOException)
        {
            return false; // gone already: its deletion follows
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
