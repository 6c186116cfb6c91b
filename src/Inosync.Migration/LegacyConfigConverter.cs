using System.Text;
using Inosync.Configuration;
using Inosync.Toml;

namespace Inosync.Migration;

/// <summary>
/// <c>inosync convert</c>: turns an old inosync config (a Python file of assignments) into an equivalent sync.toml.
/// </summary>
public static class LegacyConfigConverter
{
    /// <summary>Reads and converts the file at <paramref name="path"/>.</summary>
    /// <param name="path">The old config, as the user named it (messages and the header use this spelling).</param>
    /// <returns>The sync.toml text.</returns>
    /// <exception cref="ConfigException">The file cannot be read (<see cref="ExitCode.NoInput"/>) or converted
    /// (<see cref="ExitCode.Config"/>); the message is one line.</exception>
    public static string ConvertFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            if (path.Length == 0)
            {
                throw CannotRead("''", "no such file or directory");
            }

            if (Directory.Exists(path))
            {
                throw CannotRead(path, "it is a directory");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CannotRead(path, "no such file or directory");
        }
        catch (UnauthorizedAccessException)
        {
            throw CannotRead(path, "permission denied");
        }
        catch (IOException ex)
        {
            throw CannotRead(path, ex.Message);
        }

        return Convert(bytes, path);
    }

    /// <summary>Converts the content of an old config.</summary>
    /// <param name="python">The file's bytes (UTF-8).</param>
    /// <param name="sourceName">The file's name for messages and the header.</param>
    /// <exception cref="ConfigException">The file cannot be converted (<see cref="ExitCode.Config"/>).</exception>
    public static string Convert(ReadOnlySpan<byte> python, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        LegacyConfig legacy = PythonConfigReader.Read(python, sourceName);
        string toml = TomlConfigWriter.Write(ConfigMigration.Migrate(legacy));

        // Never hand out a file our own reader would refuse: that is a converter bug, not the user's problem.
        try
        {
            TomlReader.Parse(Encoding.UTF8.GetBytes(toml), "converted " + sourceName);
        }
        catch (TomlException ex)
        {
            throw new InvalidOperationException($"inosync convert produced invalid TOML: {ex.Message}", ex);
        }

        return toml;
    }

    private static ConfigException CannotRead(string path, string why) =>
        new($"{path}: cannot read the file: {why}", ExitCode.NoInput);
}
