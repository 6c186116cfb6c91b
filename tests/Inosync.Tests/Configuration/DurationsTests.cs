using Inosync.Configuration;

namespace Inosync.Tests.Configuration;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("1s", 1)]
    [InlineData("90s", 90)]
    [InlineData("2m", 120)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d1s", 86401)]
    [InlineData("007m", 420)]
    [InlineData("999999999d", 999_999_999L * 86400)]
    public void Parses(string text, long seconds)
    {
        Durations.TryParseSeconds(text, out long parsed).Should().BeTrue();
        parsed.Should().Be(seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("s")]
    [InlineData("1w")]
    [InlineData("1s1m")]
    [InlineData("1m1m")]
    [InlineData("1H")]
    [InlineData("1000000000d")]
    [InlineData("+1s")]
    [InlineData("1s ")]
    public void Rejects(string text) => Durations.TryParseSeconds(text, out _).Should().BeFalse();
}
