using System.Diagnostics;
using System.Text;

namespace Inosync.Benchmarks.Tools;

/// <summary>inosync with a one-local-node config and every other setting at its default (edelay 0, log level info).</summary>
internal sealed class InosyncTool : SyncTool
{
    private readonly string _binary;

    /// <param name="binary">The inosync executable.</param>
    /// <param name="name">The tool's name in tables: "inosync", or "inosync-baseline" for an A/B comparison.</param>
    public InosyncTool(string binary, string name = "inosync")
    {
        _binary = binary;
        Name = name;
    }

    public override string Name { get; }

    public override string Description => $"`{_binary}` with `wpath`, `rpath`, `rnodes = [\"\"]`; every other key at its default";

    public override string? Unavailable => File.Exists(_binary) ? null : $"{_binary} does not exist (build it: dotnet publish src/Inosync -c Release -r linux-x64 -o out)";

    public override ToolProcess Start(string source, string target, string rsync, string scratch, string tag)
    {
        string config = Path.Combine(scratch, $"{tag}.toml");
        File.WriteAllText(config, new StringBuilder()
            .Append("wpath = ").AppendLine(Toml(source))
            .Append("rpath = ").AppendLine(Toml(target))
            .AppendLine("rnodes = [\"\"]")
            .Append("rsync = ").AppendLine(Toml(rsync))
            .ToString());
        var startInfo = new ProcessStartInfo(_binary) { ArgumentList = { "-c", config } };
        return ToolProcess.Start(startInfo, Path.Combine(scratch, $"{tag}.log"), signalWholeTree: false);
    }

    private static string Toml(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
