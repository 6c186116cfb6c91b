using Inosync.Benchmarks;
using Inosync.IntegrationTests.Support;

namespace Inosync.IntegrationTests.Benchmarks;

/// <summary>
/// The benchmark's smoke run (tests/Inosync.Benchmarks --smoke): every workload at small sizes against the inosync
/// built next to these tests, every correctness check, no timing judged. It keeps the benchmark compiling and
/// working, so docs/benchmarks.md can always be regenerated.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public void Smoke_run_of_every_workload_leaves_every_target_equal_to_its_source()
    {
        string work = Path.Combine(Path.GetTempPath(), $"inosync-bench-smoke-{Guid.NewGuid():N}");
        using var progress = new StringWriter();

        BenchmarkReport report = Benchmark.Run(BenchmarkOptions.ForSmoke(InosyncProcess.ExecutablePath, work), progress);

        report.Workloads.Select(w => w.Name).Should().Equal(BenchmarkOptions.AllWorkloads);
        report.Workloads.SelectMany(w => w.Runs).Should().HaveCount(BenchmarkOptions.AllWorkloads.Count)
            .And.OnlyContain(r => r.Tool == "inosync" && r.Correct && !r.TimedOut, "the benchmark said:\n{0}", progress);
        Directory.Exists(work).Should().BeFalse("the benchmark removes its scratch directory");
    }
}
