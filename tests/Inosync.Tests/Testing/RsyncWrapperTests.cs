using System.Diagnostics;
using Inosync.Testing;

namespace Inosync.Tests.Testing;

/// <summary>The fault tests' rsync stand-in injects exactly the failure rate it is asked for, spread over every short stretch of runs.</summary>
public sealed class RsyncWrapperTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-wrapper-");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(4608)]   // the old pseudo-random sequence: 19 runs in a row without a failure
    [InlineData(1)]
    public async Task Thirty_percent_fails_30_of_100_runs_and_never_five_in_a_row_succeed(int seed)
    {
        var wrapper = RsyncWrapper.Create(_dir.Root, failPercent: 30, seed: seed);
        string source = _dir.CreateDirectory("src") + "/";

        var exitCodes = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            using var run = Process.Start(new ProcessStartInfo(wrapper.Path, ["-a", "--dry-run", source, _dir.PathOf("dst") + "/"]) { RedirectStandardError = true })!;
            await run.StandardError.ReadToEndAsync();
            await run.WaitForExitAsync();
            exitCodes.Add(run.ExitCode);
        }

        exitCodes.Count(code => code == 12).Should().Be(30);
        exitCodes.Where(code => code != 12).Should().AllSatisfy(code => code.Should().Be(0));
        wrapper.InjectedFailures.Should().Be(30);
        string.Concat(exitCodes.Select(code => code == 12 ? 'F' : '.')).Should().NotContain(".....");
    }
}
