using Inosync.Configuration;
using Inosync.Watching;

namespace Inosync.Cli.Commands;

/// <summary>
/// Turns what went wrong into one line on stderr and a documented exit code. Expected failures (bad config,
/// missing rsync, watch limit) are the user's to fix and get no stack trace; anything else is our bug
/// (exit 70), with a stack trace only when --verbose.
/// </summary>
internal static class CommandErrors
{
    public static async Task<int> GuardAsync(bool verbose, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync($"inosync: {ex.Message}");
            return (int)ex.ExitCode;
        }
        catch (WatchLimitException ex)
        {
            await Console.Error.WriteLineAsync($"inosync: {ex.Message}");
            return (int)ExitCode.OsError;
        }
        catch (OperationCanceledException)
        {
            return (int)ExitCode.Ok;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync(verbose
                ? $"inosync: internal error: {ex}"
                : $"inosync: internal error: {ex.Message} (run with --verbose for details)");
            return (int)ExitCode.Software;
        }
    }
}
