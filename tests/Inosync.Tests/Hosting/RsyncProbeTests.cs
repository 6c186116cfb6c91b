using Inosync.Cli.Hosting;

namespace Inosync.Tests.Hosting;

public sealed class RsyncProbeTests
{
    [Theory]
    [InlineData("rsync  version 3.5.0  protocol version 32", "3.5.0")]
    [InlineData("rsync  version 3.1.2  protocol version 31", "3.1.2")]
    [InlineData("rsync  version v3.2.7  protocol version 31", "3.2.7")]
    [InlineData("rsync version 3.2.3 protocol version 31", "3.2.3")]
    [InlineData("rsync  version 3.4  protocol version 32", "3.4")]
    public void The_version_is_read_from_the_first_line(string line, string expected) =>
        RsyncProbe.ParseVersion(line).Should().Be(Version.Parse(expected));

    [Theory]
    [InlineData("openrsync: protocol version 29")]
    [InlineData("")]
    [InlineData("rsync, but not as we know it")]
    public void A_line_that_does_not_say_gives_no_version(string line) =>
        RsyncProbe.ParseVersion(line).Should().BeNull();

    [Theory]
    [InlineData("3.1.2", false)]
    [InlineData("3.1.3", true)]
    [InlineData("3.2", true)]
    [InlineData("3.0.9", false)]
    public void The_minimum_is_3_1_3(string version, bool enough) =>
        (Version.Parse(version) >= RsyncProbe.MinimumVersion).Should().Be(enough);
}
