using System.CommandLine;
using Inosync.Cli.Hosting;
using Inosync.Configuration;

namespace Inosync.Cli.Commands;

/// <summary><c>inosync check -c FILE</c>: validate the configuration and the environment without syncing.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        Option<FileInfo> config = CommonOptions.Config(required: true);
        Option<bool> verbose = CommonOptions.Verbose();
        var command = new Command("check", "Validate the configuration and the environment (rsync, watch limits) without syncing.")
        {
            config,
            verbose,
        };
        command.SetAction((parseResult, cancellationToken) => CommandErrors.GuardAsync(
            parseResult.GetValue(verbose),
            () => CheckAsync(parseResult.GetRequiredValue(config).FullName, cancellationToken)));
        return command;
    }

    private static async Task<int> CheckAsync(string configPath, CancellationToken cancellationToken)
    {
        InosyncConfig config = ConfigLoader.Load(configPath);
        var output = Console.Out;
        await output.WriteLineAsync($"config: {config.ConfigPath}: ok ({config.Syncs.Count} sync{(config.Syncs.Count == 1 ? "" : "s")})");
        foreach (var rsync in config.Syncs.Select(s => s.RsyncPath).Distinct(StringComparer.Ordinal))
        {
            RsyncInfo info = await RsyncProbe.ProbeAsync(rsync, cancellationToken);
            await output.WriteLineAsync($"rsync: {info.Path}: {info.VersionLine}");
        }

        return (int)ExitCode.Ok;
    }
}
