using System.Diagnostics;
using Xunit.Abstractions;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// The reliability proof: seeded random bursts of every kind of change, applied to the watched tree of the running
/// daemon; once the source is quiet, every node must equal it byte for byte. Seeds, operation counts and how to
/// replay a failure: docs/reliability.md.
/// </summary>
[Collection(ChurnGroup.Name)]
public sealed class ChurnTests(ChurnSshFixture ssh, ITestOutputHelper output)
{
    private static readonly TimeSpan s_convergenceTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Every_node_equals_the_source_after_random_churn()
    {
        if (ssh.Unavailable is { } reason)
        {
            output.WriteLine($"no ssh node: {reason}");
        }

        foreach (int seed in ChurnSettings.Seeds)
        {
            var clock = Stopwatch.StartNew();
            await using var churn = await ChurnHarness.StartAsync(seed, ChurnSettings.Operations, nameof(ChurnTests), ssh.Server);
            await churn.RunWorkloadAsync();
            ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
            output.WriteLine($"{result}; {clock.Elapsed.TotalSeconds:0.0} s in all");
        }
    }
}
