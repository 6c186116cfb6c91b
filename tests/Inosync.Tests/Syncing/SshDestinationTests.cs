using Inosync.Configuration;
using Inosync.Renaming;

namespace Inosync.Tests.Syncing;

public sealed class SshDestinationTests
{
    [Theory]
    [InlineData("root@host:", "root@host:/srv/x", "root", "host", "/srv/x", false)]
    [InlineData("root@host:", "root@host:/srv/x/", "root", "host", "/srv/x", false)]
    [InlineData("host:", "host:/", null, "host", "/", false)]
    [InlineData("u@host:", "u@host:", "u", "host", "", true)]
    [InlineData("u@host:", "u@host:backup/x", "u", "host", "backup/x", true)]
    [InlineData("u@host:", "u@host:~/backup", "u", "host", "backup", true)]
    [InlineData("u@host:", "u@host:~", "u", "host", "", true)]
    [InlineData("a@b@host:", "a@b@host:/x", "a@b", "host", "/x", false)]
    [InlineData("u@[::1]:", "u@[::1]:/x", "u", "::1", "/x", false)]
    [InlineData("other:", "u@[fe80::1]:/x", "u", "fe80::1", "/x", false)]
    public void Parses_the_node_and_directory(string node, string target, string? user, string host, string directory, bool relativeToHome)
    {
        var destination = SshDestination.Parse(Node(node, target), out string? problem);

        problem.Should().BeNull();
        destination.Should().Be(new SshDestination(user, host, directory, relativeToHome));
    }

    [Theory]
    [InlineData("-oProxyCommand=x:", "-oProxyCommand=x:/srv")]
    [InlineData("-l@host:", "-l@host:/srv")]
    [InlineData("u@host:", "u@host:~other/x")]
    [InlineData("nocolon", "nocolon")]
    public void Refuses_what_it_cannot_address_safely(string node, string target)
    {
        SshDestination.Parse(Node(node, target), out string? problem).Should().BeNull();
        problem.Should().NotBeNullOrEmpty();
    }

    private static NodeConfig Node(string node, string target) =>
        new(node, NodeKind.Ssh, target, [], 0, null, MoveStrategy.Rename, "test");
}
