using Inosync.Configuration;

namespace Inosync.Tests.Configuration;

public sealed class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("wpath", "wpath", 0)]
    [InlineData("wpth", "wpath", 1)]
    [InlineData("wapth", "wpath", 1)]
    [InlineData("logfile", "log_file", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Computes_the_optimal_string_alignment_distance(string a, string b, int distance) =>
        EditDistance.Compute(a, b).Should().Be(distance);

    [Fact]
    public void Nearest_returns_all_candidates_at_the_best_distance() =>
        EditDistance.Nearest("path", ["name", "wpath", "rpath", "moves"]).Should().Equal("wpath", "rpath");

    [Fact]
    public void Nearest_returns_nothing_when_no_candidate_is_close() =>
        EditDistance.Nearest("colour", ["wpath", "rpath", "rnodes"]).Should().BeEmpty();
}
