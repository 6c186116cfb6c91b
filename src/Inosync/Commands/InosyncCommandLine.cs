using System.CommandLine;
using Inosync.Cli.Hosting;

namespace Inosync.Cli.Commands;

/// <summary>The whole command tree, declared in one place.</summary>
internal static class InosyncCommandLine
{
    /// <summary>The daemon handles SIGINT/SIGTERM itself (<see cref="DaemonSignals"/>); the other commands keep the default action.</summary>
    public static InvocationConfiguration InvocationConfiguration { get; } = new() { ProcessTerminationTimeout = null };

    public static RootCommand Build(DaemonSignals signals)
    {
        var root = new RootCommand(
            "inosync: keep directories on other machines identical to a local one, in near real time (inotify + rsync).")
        {
            Subcommands =
            {
                CheckCommand.Create(),
                ConvertCommand.Create(),
                StatusCommand.Create(),
                VerifyCommand.Create(),
            },
        };
        RunCommand.Configure(root, signals);
        return root;
    }
}
