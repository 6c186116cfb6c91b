namespace Inosync.Cli.Hosting;

/// <summary>
/// Test-only hooks, off unless their environment variable is set. They exist so the fault tests can make real
/// kernel behaviour happen (an inotify queue overflow) without touching /proc/sys.
/// </summary>
internal static class TestHooks
{
    /// <summary>INOSYNC_TEST_STALL_FILE=PATH: while PATH exists, the watcher does not read the kernel queue.</summary>
    public static Func<bool>? StallReader() =>
        Environment.GetEnvironmentVariable("INOSYNC_TEST_STALL_FILE") is { Length: > 0 } path ? () => File.Exists(path) : null;
}
