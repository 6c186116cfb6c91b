using System.Globalization;
using System.Security;
using System.Text;
using Inosync.Benchmarks.Workloads;

namespace Inosync.Benchmarks.Reporting;

/// <summary>The latency distribution of each tool as an SVG: cumulative share of samples over time (log scale),
/// so the floor, the median and the tail read off one picture.</summary>
internal static class LatencyPlot
{
    private const int Width = 760;
    private const int Height = 430;
    private const int Left = 64;
    private const int Right = 24;
    private const int Top = 44;
    private const int Bottom = 56;

    private static readonly Dictionary<string, (string Color, string Dash)> s_styles = new(StringComparer.Ordinal)
    {
        [WorkloadResult.FloorName] = ("#555555", "6 4"),
        ["inosync"] = ("#1f6fd1", ""),
        ["inosync-baseline"] = ("#7fa9e0", "3 3"),
        ["lsyncd"] = ("#d62728", ""),
        ["lsyncd-15s"] = ("#ff8c1a", ""),
        ["inotifywait"] = ("#2ca02c", ""),
    };

    public static string Render(WorkloadResult latency)
    {
        ArgumentNullException.ThrowIfNull(latency);
        var series = latency.Tools
            .Select(tool => (Tool: tool, Samples: latency.RunsOf(tool).SelectMany(r => r.Samples).Where(double.IsFinite).Order().ToArray()))
            .Where(s => s.Samples.Length > 0)
            .ToList();
        double min = series.Count == 0 ? 1 : Math.Max(0.1, series.Min(s => s.Samples[0]));
        double max = series.Count == 0 ? 10 : series.Max(s => s.Samples[^1]);
        int lowDecade = (int)Math.Floor(Math.Log10(min));
        int highDecade = Math.Max(lowDecade + 1, (int)Math.Ceiling(Math.Log10(max)));

        double X(double ms) => Left + ((Math.Log10(ms) - lowDecade) / (highDecade - lowDecade) * (Width - Left - Right));
        double Y(double share) => Height - Bottom - (share * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<rect width="{Width}" height="{Height}" fill="white"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Latency of one new file: share of samples synced within a time</text>""").Append('\n');

        // Grid and axes.
        for (int decade = lowDecade; decade <= highDecade; decade++)
        {
            foreach (int step in new[] { 1, 2, 5 })
            {
                double value = step * Math.Pow(10, decade);
                if (Math.Log10(value) > highDecade + 1e-9)
                {
                    continue;
                }

                double x = X(value);
                svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.0}" y1="{Top}" x2="{x:0.0}" y2="{Height - Bottom}" stroke="{(step == 1 ? "#cccccc" : "#eeeeee")}"/>""").Append('\n');
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x:0.0}" y="{Height - Bottom + 16}" text-anchor="middle" fill="#333">{FormatMs(value)}</text>""").Append('\n');
            }
        }

        for (int i = 0; i <= 4; i++)
        {
            double y = Y(i / 4.0);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{y:0.0}" x2="{Width - Right}" y2="{y:0.0}" stroke="{(i % 2 == 0 ? "#cccccc" : "#eeeeee")}"/>""").Append('\n');
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 8}" y="{y + 4:0.0}" text-anchor="end" fill="#333">{i * 25}%</text>""").Append('\n');
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Left}" y="{Top}" width="{Width - Left - Right}" height="{Height - Top - Bottom}" fill="none" stroke="#888"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(Left + Width - Right) / 2}" y="{Height - 14}" text-anchor="middle" fill="#333">time from the write until the target holds the file (log scale)</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="16" y="{(Top + Height - Bottom) / 2}" text-anchor="middle" fill="#333" transform="rotate(-90 16 {(Top + Height - Bottom) / 2})">samples</text>""").Append('\n');

        // One step line per tool; then the legend with each median, right of the middle near the bottom: there the
        // fast tools' curves are already at the top and the delayed ones still on the bottom edge.
        var legend = new StringBuilder();
        double legendX = Left + ((Width - Left - Right) * 0.40);
        double legendTop = Height - Bottom - 14 - (series.Count * 18);
        legend.Append(CultureInfo.InvariantCulture, $"""<rect x="{legendX:0.0}" y="{legendTop:0.0}" width="310" height="{(series.Count * 18) + 8}" fill="white" fill-opacity="0.92" stroke="#bbbbbb"/>""").Append('\n');
        for (int s = 0; s < series.Count; s++)
        {
            (string tool, double[] samples) = series[s];
            (string color, string dash) = s_styles.GetValueOrDefault(tool, ("#7f7f7f", "2 2"));
            string dashAttribute = dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "";
            var points = new StringBuilder();
            double previousY = Y(0);
            for (int i = 0; i < samples.Length; i++)
            {
                double x = X(samples[i]);
                double y = Y((i + 1.0) / samples.Length);
                points.Append(CultureInfo.InvariantCulture, $"{x:0.0},{previousY:0.0} {x:0.0},{y:0.0} ");
                previousY = y;
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{points.ToString().TrimEnd()}" fill="none" stroke="{color}" stroke-width="2"{dashAttribute}/>""").Append('\n');

            double median = Measuring.Stats.Percentile(samples, 50);
            double ly = legendTop + 18 + (s * 18);
            legend.Append(CultureInfo.InvariantCulture, $"""<line x1="{legendX + 10:0.0}" y1="{ly - 4:0.0}" x2="{legendX + 38:0.0}" y2="{ly - 4:0.0}" stroke="{color}" stroke-width="2"{dashAttribute}/>""").Append('\n');
            legend.Append(CultureInfo.InvariantCulture, $"""<text x="{legendX + 44:0.0}" y="{ly:0.0}" fill="#111">{SecurityElement.Escape(tool)}: median {FormatMs(median)}, n = {samples.Length}</text>""").Append('\n');
        }

        svg.Append(legend);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string FormatMs(double ms) => ms switch
    {
        >= 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.##} s"),
        >= 1 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.#} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms:0.##} ms"),
    };
}
