using System.Diagnostics;

namespace Inosync.Benchmarks.Tools;

/// <summary>lsyncd's default.rsync on a local target, at delay 0 or at its default delay (15 s).</summary>
internal sealed class LsyncdTool : SyncTool
{
    private readonly string? _binary = FindOnPath("lsyncd");
    private readonly bool _defaultDelay;

    /// <param name="defaultDelay">Leave lsyncd's delay at its default (15 s) instead of setting delay = 0.</param>
    public LsyncdTool(bool defaultDelay) => _defaultDelay = defaultDelay;

    public override string Name => _defaultDelay ? "lsyncd-15s" : "lsyncd";

    public override string Description => _defaultDelay
        ? "`lsyncd` with `sync { default.rsync, source = …, target = … }` (default delay, 15 s), one per target"
        : "`lsyncd` with `sync { default.rsync, source = …, target = …, delay = 0 }`, one per target";

    public override string? Unavailable => _binary is null ? "lsyncd is not installed (apt-get install lsyncd)" : null;

    public override TimeSpan Delay => _defaultDelay ? TimeSpan.FromSeconds(15) : TimeSpan.Zero;

    public override ToolProcess Start(string source, IReadOnlyList<string> targets, string rsync, string scratch, string tag, SshLogin? ssh = null)
    {
        string config = Path.Combine(scratch, $"{tag}.lua");
        string delay = _defaultDelay ? "" : ", delay = 0";

        // Several targets: one sync{} each, lsyncd's documented way.
        var lua = new System.Text.StringBuilder($"settings {{ nodaemon = true, logfile = {Lua(Path.Combine(scratch, tag + ".lsyncd.log"))} }}\n");
        foreach (string target in targets)
        {
            // Through ssh: default.rsync with a host:path target and its rsh setting (rsync's -e).
            string where = ssh is null ? Lua(target) : Lua(ssh.Remote(target));
            string rsh = ssh is null ? "" : $", rsh = {Lua(ssh.Command)}";
            lua.Append($"sync {{ default.rsync, source = {Lua(source)}, target = {where}{delay}, rsync = {{ binary = {Lua(rsync)}{rsh} }} }}\n");
        }

        File.WriteAllText(config, lua.ToString());
        var startInfo = new ProcessStartInfo(_binary!) { ArgumentList = { config } };
        return ToolProcess.Start(startInfo, Path.Combine(scratch, $"{tag}.log"), signalWholeTree: false);
    }

    private static string Lua(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
