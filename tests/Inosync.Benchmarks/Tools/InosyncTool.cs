using System.Diagnostics;
using System.Text;

namespace Inosync.Benchmarks.Tools;

/// <summary>inosync with one local node per target and every other setting at its default (edelay 0, log level info).</summary>
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

    public override string Description => $"`{_binary}` with `wpath`, `rpath`, `rnodes = [\"\"]` (one `[[node]]` with its own `rpath` per target when there are several); every other key at its default";

    public override string? Unavailable => File.Exists(_binary) ? null : $"{_binary} does not exist (build it: dotnet publish src/Inosync -c Release -r linux-x64 -o out)";

    public override ToolProcess Start(string source, IReadOnlyList<string> targets, string rsync, string scratch, string tag, SshLogin? ssh = null)
    {
        string config = Path.Combine(scratch, $"{tag}.toml");
        var toml = new StringBuilder()
            .Append("wpath = ").AppendLine(Toml(source))
            .Append("rsync = ").AppendLine(Toml(rsync));
        string node = ssh is null ? "" : ssh.Host + ":";
        if (ssh is not null)
        {
            toml.Append("ssh = ").AppendLine(Toml(ssh.Command));
        }

        if (targets.Count == 1)
        {
            toml.Append("rpath = ").AppendLine(Toml(targets[0])).Append("rnodes = [").Append(Toml(node)).AppendLine("]");
        }
        else
        {
            foreach (string target in targets)
            {
                toml.AppendLine("[[node]]").Append("target = ").AppendLine(Toml(node)).Append("rpath = ").AppendLine(Toml(target));
            }
        }

        File.WriteAllText(config, toml.ToString());
        var startInfo = new ProcessStartInfo(_binary) { ArgumentList = { "-c", config } };
        return ToolProcess.Start(startInfo, Path.Combine(scratch, $"{tag}.log"), signalWholeTree: false);
    }

    private static string Toml(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
