using Inosync.Configuration;

namespace Inosync.Tests.Support;

/// <summary>A fresh directory for one test's configuration files and trees, deleted afterwards.</summary>
public sealed class ConfigTempDirectory : IDisposable
{
    public ConfigTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"inosync-config-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>Absolute path of the directory (no trailing slash).</summary>
    public string Path { get; }

    /// <summary>The absolute path of <paramref name="relative"/> inside the directory.</summary>
    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Creates <paramref name="relative"/> (and its parents) and returns its absolute path.</summary>
    public string CreateDirectory(string relative) => Directory.CreateDirectory(Combine(relative)).FullName.TrimEnd('/');

    /// <summary>Writes <paramref name="content"/> to <paramref name="relative"/> (creating parents) and returns its absolute path.</summary>
    public string WriteFile(string relative, string content)
    {
        string path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes <paramref name="toml"/> as sync.toml and loads it.</summary>
    public InosyncConfig Load(string toml) => ConfigLoader.Load(WriteFile("sync.toml", toml));

    /// <summary>Writes <paramref name="toml"/> as sync.toml, expects loading to fail with <paramref name="exitCode"/>, returns the message.</summary>
    public string LoadFails(string toml, ExitCode exitCode = ExitCode.Config) => Fails(() => Load(toml), exitCode);

    /// <summary>Runs <paramref name="load"/>, expects a <see cref="ConfigException"/> with <paramref name="exitCode"/>, returns its one-line message.</summary>
    public static string Fails(Action load, ExitCode exitCode = ExitCode.Config)
    {
        ConfigException error = load.Should().Throw<ConfigException>().Which;
        error.ExitCode.Should().Be(exitCode, error.Message);
        error.Message.Should().NotContain("\n");
        return error.Message;
    }

    public void Dispose()
    {
        try
        {
            // Recursive delete removes symbolic links without following them.
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test.
        }
    }
}
