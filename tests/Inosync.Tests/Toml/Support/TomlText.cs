using System.Text;
using Inosync.Toml;

namespace Inosync.Tests.Toml.Support;

/// <summary>Shorthands for parsing test documents written as C# strings.</summary>
internal static class TomlText
{
    public const string SourceName = "sync.toml";

    public static TomlTable Parse(string text) => TomlReader.Parse(Encoding.UTF8.GetBytes(text), SourceName);

    public static TomlException Reject(string text) => Reject(Encoding.UTF8.GetBytes(text));

    public static TomlException Reject(byte[] bytes)
    {
        Action parse = () => TomlReader.Parse(bytes, SourceName);
        return parse.Should().Throw<TomlException>().Which;
    }
}
