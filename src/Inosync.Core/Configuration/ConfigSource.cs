using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>The file being loaded: its name as the user wrote it (for messages) and its directory (for relative paths).</summary>
internal sealed class ConfigSource
{
    public ConfigSource(string name, string directory)
    {
        Name = name;
        Directory = directory;
    }

    /// <summary>The path as given to the loader: messages then read the way the user typed it on the command line.</summary>
    public string Name { get; }

    /// <summary>Absolute directory of the file; relative paths in the file resolve against it.</summary>
    public string Directory { get; }

    public string Locate(TomlPosition position) => $"{Name}:{position.Line}:{position.Column}";

    public ConfigException Error(TomlPosition position, string message, ExitCode exitCode = ExitCode.Config) =>
        new($"{Locate(position)}: {message}", exitCode);
}
