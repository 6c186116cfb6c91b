using System.Text;
using Inosync.Configuration;
using Inosync.Migration;
using Inosync.Toml;

namespace Inosync.Tests.Migration.Support;

/// <summary>Shorthands for converting test configs written as C# strings, and for reading the result back.</summary>
internal static class Converted
{
    public const string SourceName = "OLD.py";

    /// <summary>The TOML text for <paramref name="python"/>.</summary>
    public static string Text(string python, string sourceName = SourceName) =>
        LegacyConfigConverter.Convert(Encoding.UTF8.GetBytes(python), sourceName);

    /// <summary>The TOML for <paramref name="python"/>, parsed by our own reader (which must accept it).</summary>
    public static TomlTable Toml(string python) => Parse(Text(python));

    public static TomlTable Parse(string toml) => TomlReader.Parse(Encoding.UTF8.GetBytes(toml), "sync.toml");

    public static ConfigException Reject(string python) => Reject(Encoding.UTF8.GetBytes(python));

    public static ConfigException Reject(byte[] python)
    {
        Action convert = () => LegacyConfigConverter.Convert(python, SourceName);
        return convert.Should().Throw<ConfigException>().Which;
    }

    public static LegacyConfig Read(string python) => PythonConfigReader.Read(Encoding.UTF8.GetBytes(python), SourceName);

    public static string String(this TomlTable table, string key) =>
        table[key].Should().BeOfType<TomlString>().Which.Value;

    public static long Integer(this TomlTable table, string key) =>
        table[key].Should().BeOfType<TomlInteger>().Which.Value;

    public static IReadOnlyList<string> Strings(this TomlTable table, string key) =>
        [.. table[key].Should().BeOfType<TomlArray>().Which.Select(item => item.Should().BeOfType<TomlString>().Which.Value)];

    /// <summary>The tables of an array of tables such as [[sync]].</summary>
    public static IReadOnlyList<TomlTable> Tables(this TomlTable table, string key) =>
        [.. table[key].Should().BeOfType<TomlArray>().Which.Select(item => item.Should().BeOfType<TomlTable>().Which)];

    /// <summary>The comment lines of the text, without "# ".</summary>
    public static IReadOnlyList<string> Comments(string toml) =>
        [.. toml.Split('\n').Where(line => line.StartsWith('#')).Select(line => line.TrimStart('#').Trim())];
}
