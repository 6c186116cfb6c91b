using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Inosync.Nodes;
using Inosync.Status;

namespace Inosync.Tests.Status;

/// <summary>The metrics file, read back with a strict parser of the text exposition format (and promtool when installed).</summary>
public sealed partial class PrometheusTextTests
{
    private static readonly NodeStatus s_healthy =
        new("/backup/www", NodeState.Idle, null, StatusSamples.Now, null, 0, 0, 12, 12, 0, 0, 345) { FilesTransferred = 40, BytesTransferred = 123456789, FullSyncs = 2 };

    private static readonly NodeStatus s_failing =
        new("deploy@web2:/var/\"www\"\\x\n", NodeState.Retrying, StatusSamples.Now, null, new NodeError(StatusSamples.Now, 255, "refused"), 3, 7, 30, 30, 18, 0, 100);

    [Fact]
    public void Every_family_is_declared_once_before_its_samples_and_every_sample_parses()
    {
        string text = Encoding.UTF8.GetString(PrometheusText.Render([new SyncMetrics("www", 1234, 5, 1, [s_healthy, s_failing]), new SyncMetrics("media", 10, 0, 0, [])]));

        Dictionary<(string Name, string Labels), double> samples = Parse(text);

        samples[("inosync_node_healthy", "node=/backup/www,sync=www")].Should().Be(1);
        samples[("inosync_node_healthy", "node=deploy@web2:/var/\"www\"\\x\\n,sync=www")].Should().Be(0);
        samples[("inosync_node_pending_changes", "node=deploy@web2:/var/\"www\"\\x\\n,sync=www")].Should().Be(7);
        samples[("inosync_node_last_success_timestamp_seconds", "node=/backup/www,sync=www")].Should().Be(StatusSamples.Now.ToUnixTimeSeconds());
        samples.Should().NotContainKey(("inosync_node_last_success_timestamp_seconds", "node=deploy@web2:/var/\"www\"\\x\\n,sync=www"), "it never succeeded");
        samples[("inosync_node_rsync_runs_total", "node=/backup/www,sync=www")].Should().Be(12);
        samples[("inosync_node_failures_total", "node=deploy@web2:/var/\"www\"\\x\\n,sync=www")].Should().Be(18);
        samples[("inosync_node_files_transferred_total", "node=/backup/www,sync=www")].Should().Be(40);
        samples[("inosync_node_bytes_transferred_total", "node=/backup/www,sync=www")].Should().Be(123456789);
        samples[("inosync_node_full_syncs_total", "node=/backup/www,sync=www")].Should().Be(2);
        samples[("inosync_sync_watches", "sync=media")].Should().Be(10);
        samples[("inosync_sync_queue_depth", "sync=www")].Should().Be(5);
        samples[("inosync_sync_overflows_total", "sync=www")].Should().Be(1);
    }

    [Fact]
    public async Task Promtool_accepts_the_file_where_the_prometheus_package_provides_it()
    {
        const string Promtool = "/usr/bin/promtool";
        if (!File.Exists(Promtool))
        {
            return; // The parser above checks the format; promtool adds Prometheus' own lint where it is installed.
        }

        var start = new ProcessStartInfo(Promtool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var promtool = Process.Start(start)!;
        await promtool.StandardInput.BaseStream.WriteAsync(PrometheusText.Render([new SyncMetrics("www", 1234, 5, 1, [s_healthy, s_failing])]));
        promtool.StandardInput.Close();
        string output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();

        promtool.ExitCode.Should().Be(0, output);
        output.Should().BeEmpty();
    }

    // Text format 0.0.4: "# HELP name text", "# TYPE name type" before the family's samples, each family's samples
    // together, "name{label="value",…} value" with \\, \" and \n escaped in label values.
    private static Dictionary<(string Name, string Labels), double> Parse(string text)
    {
        text.Should().EndWith("\n");
        var samples = new Dictionary<(string, string), double>();
        var typed = new HashSet<string>();
        var helped = new HashSet<string>();
        string? current = null;
        foreach (string line in text[..^1].Split('\n'))
        {
            if (HelpLine().Match(line) is { Success: true } help)
            {
                helped.Add(help.Groups[1].Value).Should().BeTrue($"one HELP per family: {line}");
                continue;
            }

            if (TypeLine().Match(line) is { Success: true } type)
            {
                string name = type.Groups[1].Value;
                typed.Add(name).Should().BeTrue($"one TYPE per family: {line}");
                helped.Should().Contain(name);
                current = name;
                continue;
            }

            Match sample = SampleLine().Match(line);
            sample.Success.Should().BeTrue($"a sample line: {line}");
            sample.Groups["name"].Value.Should().Be(current, "a family's samples follow its TYPE");
            var labels = LabelPair().Matches(sample.Groups["labels"].Value)
                .Select(m => m.Groups[1].Value + "=" + m.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            double value = double.Parse(sample.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            samples.Add((current!, string.Join(',', labels)), value);
        }

        return samples;
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\[\\""n])*"",?)*)\} (?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
