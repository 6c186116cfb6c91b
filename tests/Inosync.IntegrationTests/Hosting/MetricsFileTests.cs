using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Hosting;

/// <summary>The daemon's metrics_file: written at start, after each change, with the counters of real rsync runs.</summary>
public sealed class MetricsFileTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_metrics_file_counts_real_runs_transfers_and_full_syncs()
    {
        string? metrics = null;
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            Prepare = scenario =>
            {
                metrics = scenario.Scratch("node-exporter/inosync.prom");
                File.WriteAllText(scenario.Src("a"), "12345");
            },
            ExtraConfig = "metrics_file = \"node-exporter/inosync.prom\"\nname = \"www\"",
        });
        string node = s.LocalTargets[0];
        string labels = $"{{sync=\"www\",node=\"{node}\"}}";

        File.WriteAllText(s.Src("b"), "1234567");
        await s.ConvergedAsync(s_timeout);
        bool counted = await Eventually.TrueWithinAsync(
            () => File.Exists(metrics) && File.ReadAllText(metrics).Contains($"inosync_node_files_transferred_total{labels} 2\n", StringComparison.Ordinal),
            s_timeout);

        string text = File.ReadAllText(metrics!);
        counted.Should().BeTrue(text);
        text.Should().Contain($"inosync_node_healthy{labels} 1\n")
            .And.Contain($"inosync_node_full_syncs_total{labels} 1\n")
            .And.Contain($"inosync_node_bytes_transferred_total{labels} 12\n")
            .And.Contain($"inosync_node_pending_changes{labels} 0\n")
            .And.Contain("inosync_sync_watches{sync=\"www\"} 1\n")
            .And.Contain("inosync_sync_overflows_total{sync=\"www\"} 0\n")
            .And.MatchRegex(@$"inosync_node_rsync_runs_total\{{sync=""www"",node=""[^""]+""\}} [2-9]\n");
        File.GetUnixFileMode(metrics!).Should().Be((UnixFileMode)0b110_100_100, "node_exporter reads it as a user of its own");
    }
}
