using Inosync.Processes;
using Inosync.Rsync;

namespace Inosync.Tests.Syncing;

public sealed class RsyncExitCodesTests
{
    [Theory]
    [InlineData(0, RsyncOutcome.Success)]
    [InlineData(24, RsyncOutcome.Success)]
    [InlineData(23, RsyncOutcome.PartialTransfer)]
    [InlineData(1, RsyncOutcome.ConfigurationError)]
    [InlineData(2, RsyncOutcome.ConfigurationError)]
    [InlineData(4, RsyncOutcome.ConfigurationError)]
    [InlineData(5, RsyncOutcome.Unavailable)]
    [InlineData(10, RsyncOutcome.Unavailable)]
    [InlineData(12, RsyncOutcome.Unavailable)]
    [InlineData(30, RsyncOutcome.Unavailable)]
    [InlineData(35, RsyncOutcome.Unavailable)]
    [InlineData(255, RsyncOutcome.Unavailable)]
    [InlineData(3, RsyncOutcome.Failure)]
    [InlineData(11, RsyncOutcome.Failure)]
    [InlineData(20, RsyncOutcome.Failure)]
    [InlineData(25, RsyncOutcome.Failure)]
    [InlineData(137, RsyncOutcome.Failure)]
    [InlineData(ProcessResult.NotStartedExitCode, RsyncOutcome.NotStarted)]
    public void Exit_codes_map_to_outcomes(int exitCode, RsyncOutcome expected) =>
        RsyncExitCodes.Classify(exitCode).Should().Be(expected);

    [Theory]
    [InlineData(23, "partial transfer due to error")]
    [InlineData(24, "partial transfer due to vanished source files")]
    [InlineData(255, "remote shell failed")]
    [InlineData(77, "unknown exit code")]
    public void Exit_codes_are_described_in_the_words_of_the_manual(int exitCode, string expected) =>
        RsyncExitCodes.Describe(exitCode).Should().Be(expected);

    [Fact]
    public void Stats_are_parsed_with_thousands_separators()
    {
        const string output = """

            Number of files: 3 (reg: 2, dir: 1)
            Number of regular files transferred: 1,234
            Total file size: 9,999,999 bytes
            Total transferred file size: 1,234,567 bytes
            Literal data: 1,234,567 bytes

            sent 1,234,973 bytes  received 35 bytes  2,470,016.00 bytes/sec
            """;

        RsyncStats.Parse(output).Should().Be(new RsyncStats(1234, 1234567));
        RsyncStats.Parse("rsync: connection refused").Should().BeNull();
    }

    [Fact]
    public void Failed_paths_are_read_from_rsync_errors()
    {
        const string stderr = """
            rsync: [sender] send_files failed to open "/src/secret": Permission denied (13)
            rsync: [sender] send_files failed to open "/src/with "quotes"": Permission denied (13)
            rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [sender=3.5.0]
            """;

        RsyncErrors.FailedPaths(stderr).Should().Equal("/src/secret", "/src/with \"quotes\"");
    }
}
