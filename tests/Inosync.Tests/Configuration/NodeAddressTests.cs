using Inosync.Configuration;

namespace Inosync.Tests.Configuration;

public sealed class NodeAddressTests
{
    [Theory]
    [InlineData("", NodeKind.Local)]
    [InlineData("host:", NodeKind.Ssh)]
    [InlineData("user@host:", NodeKind.Ssh)]
    [InlineData("user@[2001:db8::1]:", NodeKind.Ssh)]
    [InlineData("host::module", NodeKind.RsyncDaemon)]
    [InlineData("user@host::module/", NodeKind.RsyncDaemon)]
    [InlineData("[2001:db8::1]::module", NodeKind.RsyncDaemon)]
    [InlineData("rsync://host/module", NodeKind.RsyncDaemon)]
    [InlineData("rsync://user@host:873/module", NodeKind.RsyncDaemon)]
    [InlineData("rsync://[2001:db8::1]:873/module/", NodeKind.RsyncDaemon)]
    public void Accepts(string text, NodeKind kind)
    {
        NodeAddress.TryParse(text, out NodeAddress? address, out string? problem).Should().BeTrue(problem);
        address!.Kind.Should().Be(kind);
        address.Text.Should().Be(text);
    }

    [Theory]
    [InlineData("host:::x")]
    [InlineData("rsync://")]
    [InlineData("rsync://host")]
    [InlineData("rsync://@host/m")]
    [InlineData("rsync://host:65536/m")]
    [InlineData(":")]
    [InlineData("::m")]
    [InlineData("host: ")]
    [InlineData("host:\t")]
    [InlineData("\u00a0host:")]
    [InlineData("[2001:db8::1:")]
    [InlineData("host:path")]
    [InlineData("ho/st:")]
    public void Rejects(string text) => NodeAddress.TryParse(text, out _, out _).Should().BeFalse();

    [Theory]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("/a/b//", "/a/b")]
    [InlineData("a", "a")]
    [InlineData("", "")]
    public void Trims_trailing_slashes_but_keeps_the_root(string path, string expected) =>
        NodeAddress.TrimTrailingSlashes(path).Should().Be(expected);
}
