using System.CommandLine;
using Inosync.Cli.Hosting;
using Inosync.Configuration;
using Inosync.Status;

namespace Inosync.Cli.Commands;

/// <summary>
/// <c>inosync status -c FILE [--json]</c>: what the daemon running on FILE is doing, from its status_file. Exit 0
/// healthy, 1 a node failing, 69 the daemon is not running — so a monitoring check can run it as it is.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        Option<FileInfo> config = CommonOptions.Config(required: true);
        var json = new Option<bool>("--json")
        {
            Description = "Print the status file as it is (JSON) instead of a table; the exit code is the same.",
        };
        var command = new Command("status", "Show what the running daemon is doing (from status_file); exit 0 healthy, 1 a node failing, 69 not running.")
        {
            config,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.GuardAsync(
            verbose: false,
            () => StatusAsync(parseResult.GetRequiredValue(config).FullName, parseResult.GetValue(json), cancellationToken)));
        return command;
    }

    private static async Task<int> StatusAsync(string configPath, bool json, CancellationToken cancellationToken)
    {
        string statusFile = ConfigLoader.ReadStatusFile(configPath)
            ?? throw new ConfigException($"{configPath}: no status_file is set, so there is no status to show (add status_file = \"/run/inosync/status.json\")");

        byte[] bytes;
        StatusDocument document;
        try
        {
            bytes = await File.ReadAllBytesAsync(statusFile, cancellationToken);
            document = StatusFile.Parse(bytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            await Console.Error.WriteLineAsync($"inosync: NOT RUNNING: {statusFile} does not exist: no inosync has run with this status_file yet (or it was removed)");
            return (int)ExitCode.Unavailable;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            string why = ex is UnauthorizedAccessException ? "permission denied" : ex.Message;
            await Console.Error.WriteLineAsync($"inosync: {statusFile}: cannot read the status file: {why}");
            return (int)ExitCode.NoInput;
        }

        StatusVerdict verdict = StatusHealth.Evaluate(document, ProcessCheck.IsInosync(document.Pid));
        if (json)
        {
            await using Stream stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(bytes, cancellationToken);
            if (verdict.ExitCode != ExitCode.Ok)
            {
                // stdout stays pure JSON for a parser; the reason goes where a human looks.
                await Console.Error.WriteLineAsync($"inosync: {verdict.Summary}");
            }
        }
        else
        {
            await Console.Out.WriteAsync(StatusTable.Format(document, TimeProvider.System.GetUtcNow(), TimeZoneInfo.Local));
            await Console.Out.WriteLineAsync();
            await Console.Out.WriteLineAsync(verdict.Summary);
        }

        return (int)verdict.ExitCode;
    }
}
