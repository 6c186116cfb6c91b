using Inosync.Tests.Support;
using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Rsync;
using Inosync.Testing;

namespace Inosync.Tests.Syncing;

/// <summary>A source tree and one local node tree, with the configs and helpers to sync between them.</summary>
[SupportedOSPlatform("linux")]
internal sealed class Mirror : IDisposable
{
    public Mirror(IReadOnlyList<string>? excludes = null, string rsyncPath = "/usr/bin/rsync", int nodes = 1)
    {
        Source = new TempTree("inosync-src-");
        Nodes = Enumerable.Range(0, nodes).Select(_ => new TempTree("inosync-node-")).ToArray();
        NodeConfigs = Nodes.Select(n => LocalNode(n.Root)).ToArray();
        Sync = CreateSync(Source.Root, NodeConfigs, excludes ?? [], rsyncPath);
    }

    public TempTree Source { get; }

    public TempTree[] Nodes { get; }

    public TempTree Node => Nodes[0];

    public NodeConfig[] NodeConfigs { get; }

    public NodeConfig NodeConfig => NodeConfigs[0];

    public SyncConfig Sync { get; set; }

    public static NodeConfig LocalNode(string target, IReadOnlyList<string>? extra = null, int speedLimit = 0) =>
        new("", NodeKind.Local, target, extra ?? [], speedLimit, null, MoveStrategy.Transfer, "test:1:1");

    public static SyncConfig CreateSync(string watchPath, IReadOnlyList<NodeConfig> nodes, IReadOnlyList<string> excludes, string rsyncPath = "/usr/bin/rsync", TimeSpan extraDelay = default) =>
        new("test", watchPath, "", nodes, Filters.Excluding(excludes), rsyncPath, extraDelay, true, WatcherKind.Auto, 1000, 1000, null, "test:1:1");

    public static SyncBatch Full { get; } = new(true, [], [], 1);

    public static DirectoryJob Named(string directory, params (string Name, NameChange Change)[] names) =>
        new(directory, false, names.ToDictionary(n => n.Name, n => n.Change, StringComparer.Ordinal));

    public static DirectoryJob Recursive(string directory) => DirectoryJob.WholeDirectory(directory);

    public static SyncBatch Batch(params DirectoryJob[] jobs) =>
        new(false, jobs.OrderBy(j => j.Directory, StringComparer.Ordinal).ToArray(), [], jobs.Sum(j => j.Recursive ? 1 : j.Names.Count));

    /// <summary>Runs the command for <paramref name="batch"/> against node <paramref name="node"/> with real rsync and asserts success.</summary>
    public async Task<ProcessResult> SyncAsync(SyncBatch batch, int node = 0)
    {
        var command = RsyncCommand.Create(batch, Sync, NodeConfigs[node], fileListSafe: FileListSafety.Allows(batch, Sync.WatchPath));
        var result = await new ProcessRunner(TimeSpan.FromSeconds(2)).RunAsync(command.FileName, command.Arguments, command.StandardInput, CancellationToken.None);
        RsyncExitCodes.Classify(result.ExitCode).Should().Be(RsyncOutcome.Success, "rsync said: {0}\ncommand: {1}", result.StandardError, command.ToShellString());
        return result;
    }

    public void AssertInSync(int node = 0) => TreeAssert.Equal(Source.Root, Nodes[node].Root);

    public void Dispose()
    {
        Source.Dispose();
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
    }
}
