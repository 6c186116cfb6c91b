using System.CommandLine;
using Inosync.Cli.Commands;
using Inosync.Cli.Hosting;

namespace Inosync.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // First of all: a SIGHUP (logrotate, a reload) that arrives while the daemon is still starting must not kill it.
        using var signals = new DaemonSignals();
        RootCommand root = InosyncCommandLine.Build(signals);
        ParseResult parseResult = root.Parse(args);
        if (parseResult.CommandResult.Command != root)
        {
            signals.Release();
        }

        // System.CommandLine exits 1 on a parse error; sysexits says 64 (EX_USAGE), and a daemon's
        // supervisor should be able to tell "you called me wrong" from "something failed".
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"inosync: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Try 'inosync --help' for more information.");
            return (int)ExitCode.Usage;
        }

        return await parseResult.InvokeAsync(InosyncCommandLine.InvocationConfiguration);
    }
}
