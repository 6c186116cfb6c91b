using Inosync.Benchmarks.Reporting;

namespace Inosync.Benchmarks;

/// <summary>Runs the benchmark in a scratch directory and writes the report.</summary>
internal static class Benchmark
{
    public static BenchmarkReport Run(BenchmarkOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(options.WorkDirectory))
        {
            BenchContext.Empty(options.WorkDirectory);
        }

        try
        {
            BenchmarkReport report = new BenchmarkRunner(options, progress).Run();
            if (options.ReportPath is { } path)
            {
                string plot = Path.ChangeExtension(Path.GetFileName(path), null) + "-latency.svg";
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, MarkdownReport.Render(report, plot));
                if (report.Workloads.FirstOrDefault(w => w.Name == "latency") is { } latency)
                {
                    File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, plot), LatencyPlot.Render(latency));
                }

                progress.WriteLine($"report written to {path}");
            }

            return report;
        }
        finally
        {
            BenchContext.RunCommand("rm", "-rf", "--", options.WorkDirectory);
        }
    }
}
