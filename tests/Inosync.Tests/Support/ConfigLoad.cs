using Inosync.Configuration;
using Inosync.Testing;

namespace Inosync.Tests.Support;

/// <summary>What the configuration tests do with a <see cref="TempTree"/>: write a sync.toml, load it, expect it to fail.</summary>
public static class ConfigLoad
{
    /// <summary>Writes <paramref name="toml"/> as sync.toml and loads it.</summary>
    public static InosyncConfig Load(this TempTree tree, string toml)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return ConfigLoader.Load(tree.WriteFile("sync.toml", toml));
    }

    /// <summary>Writes <paramref name="toml"/> as sync.toml, expects loading to fail with <paramref name="exitCode"/>, returns the message.</summary>
    public static string LoadFails(this TempTree tree, string toml, ExitCode exitCode = ExitCode.Config) => Fails(() => tree.Load(toml), exitCode);

    /// <summary>Runs <paramref name="load"/>, expects a <see cref="ConfigException"/> with <paramref name="exitCode"/>, returns its one-line message.</summary>
    public static string Fails(Action load, ExitCode exitCode = ExitCode.Config)
    {
        ConfigException error = load.Should().Throw<ConfigException>().Which;
        error.ExitCode.Should().Be(exitCode, error.Message);
        error.Message.Should().NotContain("\n");
        return error.Message;
    }
}
