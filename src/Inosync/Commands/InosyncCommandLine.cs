using System.CommandLine;

namespace Inosync.Cli.Commands;

/// <summary>The whole command tree, declared in one place.</summary>
internal static class InosyncCommandLine
{
    /// <summary>
    /// On SIGINT/SIGTERM System.CommandLine cancels the action's token and, after this timeout, forces exit
    /// 130/143. It must outlast the clean drain (running rsyncs finish, pending changes sync once more).
    /// </summary>
    public static InvocationConfiguration InvocationConfiguration { get; } = new()
    {
        ProcessTerminationTimeout = RunCommand.ShutdownTimeout + TimeSpan.FromSeconds(15),
    };

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "inosync: keep directories on other machines identical to a local one, in near real time (inotify + rsync).")
        {
            Subcommands =
            {
                CheckCommand.Create(),
                ConvertCommand.Create(),
                StatusCommand.Create(),
            },
        };
        RunCommand.Configure(root);
        return root;
    }
}
