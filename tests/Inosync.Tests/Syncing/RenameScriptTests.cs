using Inosync.Coalescing;
using Inosync.Renaming;

namespace Inosync.Tests.Syncing;

public sealed class RenameScriptTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(x) `y` \"z\" \\", "'$(x) `y` \"z\" \\'")]
    [InlineData("", "''")]
    public void Quotes_for_sh(string value, string expected) => RenameScript.Quote(value).Should().Be(expected);

    [Fact]
    public void Paths_are_absolute_or_below_the_remote_home()
    {
        var moves = new[] { new MovedPath("a/b", "c", true) };

        string absolute = RenameScript.Build(new SshDestination("u", "h", "/srv/x", false), moves);
        string home = RenameScript.Build(new SshDestination("u", "h", "backup", true), moves);
        string bareHome = RenameScript.Build(new SshDestination("u", "h", "", true), moves);

        absolute.Should().Contain("[ -d '/srv/x' ]").And.Contain("move 0 d '/srv/x/a/b' '/srv/x/c' '/srv/x/a'\n");
        home.Should().Contain("[ -d \"$HOME\"/'backup' ]").And.Contain("move 0 d \"$HOME\"/'backup/a/b' \"$HOME\"/'backup/c' \"$HOME\"/'backup/a'\n");
        bareHome.Should().Contain("[ -d \"$HOME\" ]").And.Contain("move 0 d \"$HOME\"/'a/b' \"$HOME\"/'c' \"$HOME\"/'a'\n");
        RenameScript.Build(new SshDestination("u", "h", "/", false), moves).Should().Contain("move 0 d '/a/b' '/c' '/a'\n");
    }

    [Fact]
    public void Reads_one_answer_per_move_and_unknown_where_none_came()
    {
        string output = "ok 0\nskip 1 target\nskip 2 source\nfail 3\nskip 4 parent\nskip 5 type\ngarbage\nok 99\n";

        RenameScript.Parse(output, 7).Should().Equal(
            RenameOutcome.Renamed,
            RenameOutcome.DestinationExists,
            RenameOutcome.SourceMissing,
            RenameOutcome.Failed,
            RenameOutcome.ParentNotDirectory,
            RenameOutcome.TypeMismatch,
            RenameOutcome.Unknown);
        RenameScript.Parse("noroot\n", 2).Should().Equal(RenameOutcome.RootMissing, RenameOutcome.RootMissing);
    }
}
