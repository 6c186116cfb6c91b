using Inosync.Nodes;
using Inosync.Status;

namespace Inosync.Tests.Status;

/// <summary>Status documents for the tests: one sync, a healthy node and a configurable second one.</summary>
internal static class StatusSamples
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static NodeStatusEntry Healthy(string node = "/backup/www") =>
        new(node, NodeStatusEntry.Idle, null, Now.AddSeconds(-5), null, 0, 0, 12, 12, 0, 0, 345);

    public static NodeStatusEntry Retrying(string node = "deploy@web2:/var/www") =>
        new(node, NodeStatusEntry.Retrying, Now.AddSeconds(23), Now.AddHours(-2).AddMinutes(-3), new NodeError(Now.AddSeconds(-7), 255, "ssh: connect to host web2 port 22: Connection refused"),
            18, 4, 30, 30, 18, 0, 100);

    public static StatusDocument Document(string state = DaemonStates.Running, params NodeStatusEntry[] nodes) => new(
        StatusDocument.CurrentFormat,
        "0.1.0",
        4242,
        "/etc/inosync/sync.toml",
        state,
        Now.AddHours(-2).AddMinutes(-5),
        Now.AddSeconds(-4),
        [new SyncStatusEntry("www", "/srv/www", 1234, 0, nodes.Length == 0 ? [Healthy()] : nodes)]);
}
