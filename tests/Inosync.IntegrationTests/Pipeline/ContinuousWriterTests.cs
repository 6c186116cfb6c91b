using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>A file kept open and appended to without pause reaches the nodes while the writer goes on.</summary>
public sealed class ContinuousWriterTests
{
    [Fact]
    public async Task A_file_appended_every_10_ms_and_never_closed_is_synced_at_least_every_open_write_interval()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions { ExtraConfig = "open_write_interval = 1" });
        string log = s.Src("app.log");
        string nodeCopy = Path.Combine(s.Targets[0], "app.log");
        long sizeWhenSeen = 0;

        await using (var writer = new FileStream(log, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        {
            var writing = System.Diagnostics.Stopwatch.StartNew();
            while (writing.Elapsed < TimeSpan.FromSeconds(6))
            {
                await writer.WriteAsync("one more line of the log that never closes\n"u8.ToArray());
                await writer.FlushAsync();
                await Task.Delay(10);
                if (writing.Elapsed > TimeSpan.FromSeconds(4) && sizeWhenSeen == 0 && File.Exists(nodeCopy))
                {
                    sizeWhenSeen = new FileInfo(nodeCopy).Length;
                }
            }

            // Still open here: whatever the node has, it got while the writer never paused for 1 s.
            long nodeSize = File.Exists(nodeCopy) ? new FileInfo(nodeCopy).Length : 0;
            nodeSize.Should().BeGreaterThan(sizeWhenSeen, "the node's copy keeps growing while the file is written without a pause or a close");
            sizeWhenSeen.Should().BeGreaterThan(44 * 50, "after 4 s of writing the node has more than the first second's lines");
        }

        await s.ConvergedAsync();
    }
}
