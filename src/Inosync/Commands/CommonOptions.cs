using System.CommandLine;

namespace Inosync.Cli.Commands;

/// <summary>Options shared by several commands. Each call returns a new instance: a symbol belongs to one command.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Config(bool required) => new("--config", "-c")
    {
        Description = "The configuration file (TOML), e.g. /etc/inosync/sync.toml.",
        HelpName = "FILE",
        Required = required,
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Log at Debug level, with stack traces for errors.",
    };
}
