using System.Diagnostics;

namespace Inosync.Benchmarks.Tools;

/// <summary>The classic shell loop: one full <c>rsync -a --delete</c> per inotifywait event line.</summary>
internal sealed class InotifywaitLoopTool : SyncTool
{
    // $1 source, $2 rsync, then the targets. Exactly the loop sysadmins paste (one rsync per target in turn); no
    // initial sync, no batching.
    private const string Script =
        "src=$1 rsync=$2; shift 2; inotifywait -mrq -e close_write,create,delete,move,attrib \"$src\" | while read -r _; do for t in \"$@\"; do \"$rsync\" -a --delete \"$src\"/ \"$t\"/; done; done";

    private readonly string? _inotifywait = FindOnPath("inotifywait");
    private readonly string? _bash = FindOnPath("bash");

    public override string Name => "inotifywait";

    public override string Description =>
        "`inotifywait -mrq -e close_write,create,delete,move,attrib SRC | while read -r _; do rsync -a --delete SRC/ DST/; done`";

    public override string? Unavailable =>
        _inotifywait is null ? "inotifywait is not installed (apt-get install inotify-tools)"
        : _bash is null ? "bash is not installed"
        : null;

    public override ToolProcess Start(string source, IReadOnlyList<string> targets, string rsync, string scratch, string tag, SshLogin? ssh = null)
    {
        var startInfo = new ProcessStartInfo(_bash!) { ArgumentList = { "-c", Script, "inotifywait-loop", source, rsync } };
        foreach (string target in targets)
        {
            startInfo.ArgumentList.Add(ssh is null ? target : ssh.Remote(target));
        }

        if (ssh is not null)
        {
            startInfo.Environment["RSYNC_RSH"] = ssh.Command; // rsync's -e, without touching the pasted loop
        }

        return ToolProcess.Start(startInfo, Path.Combine(scratch, $"{tag}.log"), signalWholeTree: true);
    }
}
