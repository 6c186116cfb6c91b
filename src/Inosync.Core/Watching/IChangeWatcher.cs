using System.Threading.Channels;

namespace Inosync.Watching;

/// <summary>Turns changes in one watched tree into <see cref="FsChange"/> values.</summary>
public interface IChangeWatcher : IAsyncDisposable
{
    /// <summary>
    /// Establishes the watches on every directory of the tree (except excluded ones), then starts delivering
    /// changes into <paramref name="output"/> from a background reader. Returns once the initial watches are in
    /// place, with how many there are. Events that happen while it runs are delivered, not lost.
    /// </summary>
    /// <exception cref="WatchLimitException">The inotify watch limit is too low for the tree.</exception>
    Task<int> StartAsync(ChannelWriter<FsChange> output, CancellationToken cancellationToken);

    /// <summary>How many directories are watched now.</summary>
    int WatchCount { get; }

    /// <summary>Completes when the reader stops (after <see cref="IAsyncDisposable.DisposeAsync"/>, or on a fatal error, which it carries).</summary>
    Task Completion { get; }
}
