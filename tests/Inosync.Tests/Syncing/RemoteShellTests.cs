using Inosync.Renaming;

namespace Inosync.Tests.Syncing;

public sealed class RemoteShellTests
{
    [Theory]
    [InlineData("ssh", new[] { "ssh" })]
    [InlineData("ssh -p 2222 -i /k/id", new[] { "ssh", "-p", "2222", "-i", "/k/id" })]
    [InlineData("  ssh   -p  22  ", new[] { "ssh", "-p", "22" })]
    [InlineData("ssh -i '/my keys/id' -o \"ProxyCommand=nc %h %p\"", new[] { "ssh", "-i", "/my keys/id", "-o", "ProxyCommand=nc %h %p" })]
    [InlineData("ssh -o'User=a b'c", new[] { "ssh", "-oUser=a bc" })]
    [InlineData("ssh 'it''s' \"say \"\"hi\"\"\"", new[] { "ssh", "it's", "say \"hi\"" })]
    [InlineData("ssh \"it's\" 'a\"b'", new[] { "ssh", "it's", "a\"b" })]
    [InlineData("ssh ''", new[] { "ssh", "" })]
    [InlineData("ssh a\\ b", new[] { "ssh", "a\\", "b" })]
    public void Splits_like_rsync(string command, string[] expected) =>
        RemoteShell.Split(command).Should().Equal(expected);

    [Theory]
    [InlineData("ssh 'open")]
    [InlineData("ssh \"open")]
    public void Unterminated_quote_is_refused(string command) =>
        RemoteShell.Split(command).Should().BeNull();

    [Theory]
    [InlineData(new[] { "-e", "ssh -p 1" }, "ssh -p 1")]
    [InlineData(new[] { "-essh -p 2" }, "ssh -p 2")]
    [InlineData(new[] { "--rsh=ssh -p 3" }, "ssh -p 3")]
    [InlineData(new[] { "--rsh", "ssh -p 4" }, "ssh -p 4")]
    [InlineData(new[] { "-avze", "ssh -p 5" }, "ssh -p 5")]
    [InlineData(new[] { "-aessh -p 6" }, "ssh -p 6")]
    [InlineData(new[] { "-e", "ssh -p 1", "--rsh=ssh -p 7" }, "ssh -p 7")]
    [InlineData(new[] { "--exclude", "-e", "--delete" }, "ssh")]
    [InlineData(new[] { "--exclude=-e x" }, "ssh")]
    [InlineData(new[] { "-f", "-e x", "-T", "-etmp" }, "ssh")]
    [InlineData(new[] { "-Te", "-v" }, "ssh")]
    [InlineData(new[] { "--bwlimit=100", "-v" }, "ssh")]
    [InlineData(new string[0], "ssh")]
    public void Finds_the_remote_shell_rsync_would_use(string[] extraArgs, string expected) =>
        RemoteShell.Command(extraArgs, null).Should().Be(expected);

    [Fact]
    public void Falls_back_to_RSYNC_RSH_then_ssh()
    {
        RemoteShell.Command(["-v"], "ssh -p 8").Should().Be("ssh -p 8");
        RemoteShell.Command(["-e", "ssh -p 9"], "ssh -p 8").Should().Be("ssh -p 9");
        RemoteShell.Command([], "  ").Should().Be("ssh");
    }
}
