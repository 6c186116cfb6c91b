using System.Text.RegularExpressions;
using Inosync.Configuration;
using Inosync.Nodes;
using Inosync.Transfer;

namespace Inosync.Tests.Transfer;

public sealed class LftpSyntaxTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a \"b\" c", "\"a \\\"b\\\" c\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("star* [x] ?$(y) `z` ; -n", "\"star* [x] ?$(y) `z` ; -n\"")]
    public void Quote_escapes_only_quotes_and_backslashes(string value, string quoted) =>
        LftpSyntax.Quote(value).Should().Be(quoted);

    [Theory]
    [InlineData("a.b")]
    [InlineData("(paren)|pipe")]
    [InlineData("^caret$")]
    [InlineData("star*[x]+?{2}")]
    [InlineData("back\\slash")]
    [InlineData("dir/sub dir/f")]
    public void An_escaped_regex_matches_the_literal_and_nothing_else(string literal)
    {
        // .NET's regex syntax agrees with POSIX ERE on every construct EscapeRegex emits.
        var regex = new Regex(LftpSyntax.AnyOf([literal, "other/"]), RegexOptions.CultureInvariant);

        regex.IsMatch(literal).Should().BeTrue();
        regex.IsMatch("other/").Should().BeTrue();
        regex.IsMatch(literal + "x").Should().BeFalse();
        regex.IsMatch("x" + literal).Should().BeFalse();
        regex.IsMatch(literal.Replace('.', 'X').Replace('*', 'Y') + (literal.Contains('.') || literal.Contains('*') ? "" : "Z")).Should().BeFalse();
    }

    [Fact]
    public void AnyName_matches_the_name_in_any_directory_files_and_directories_alike()
    {
        var regex = new Regex(LftpSyntax.AnyName(["back\\slash", "a.b"]), RegexOptions.CultureInvariant);

        regex.IsMatch("back\\slash").Should().BeTrue();
        regex.IsMatch("dir/sub/back\\slash/").Should().BeTrue();
        regex.IsMatch("dir/a.b").Should().BeTrue();
        regex.IsMatch("dir/aXb").Should().BeFalse();
        regex.IsMatch("dir/xa.b").Should().BeFalse();
    }

    [Theory]
    [InlineData("ok name", true)]
    [InlineData("line\nbreak", false)]
    [InlineData("carriage\rreturn", false)]
    public void A_line_break_cannot_be_carried(string name, bool carried) => LftpSyntax.CanCarry(name).Should().Be(carried);

    [Theory]
    [InlineData("rm ftp://inosync:p%2C%20%22w%5Cabc@127.0.0.1:21/mirror/x", "p, \"w\\abc", "rm ftp://inosync@127.0.0.1:21/mirror/x")]
    [InlineData("get: ftp://u:secret@h/x: Access failed", null, "get: ftp://u@h/x: Access failed")]
    [InlineData("said the plain secret here", "secret", "said the plain *** here")]
    [InlineData("sftp://user@host/path has no password", null, "sftp://user@host/path has no password")]
    public void Passwords_are_taken_out_of_lftp_output(string output, string? password, string expected) =>
        LftpSyntax.WithoutPassword(output, password).Should().Be(expected);

    [Fact]
    public void The_refused_names_are_read_from_553_replies()
    {
        const string stderr = "mirror: Access failed: 553 Prohibited file name: back\\slash\nchmod: Access failed: 553 Prohibited file name: ./dir/other\\one\nrm: Access failed: 550 gone";

        LftpTransport.RefusedNames(stderr).Should().Equal("back\\slash", "other\\one");
    }

    [Theory]
    [InlineData("mirror: Access failed: 553 Can't open that file: Permission denied (a.txt)")]
    [InlineData("mirror: Access failed: 553 Can't open that file: Permission denied (dir/a.txt)")]
    [InlineData("put: /src/a.txt: Access failed: 553 Could not create file.")]
    [InlineData("mirror: Access failed: 553 Quota exceeded: a.txt")]
    public void A_553_reply_that_is_not_about_the_name_refuses_no_name(string stderr) =>
        // pure-ftpd answers 553 for any file it cannot open, vsftpd for any it cannot create: such a failure is the
        // node's, retried with backoff, never a name left out for good.
        LftpTransport.RefusedNames(stderr).Should().BeEmpty();

    [Fact]
    public void The_remote_listing_is_read_relative_to_each_directory()
    {
        const string output = "./\n./a b/\n./a b/c*\n./a b2/x\n./sub/deep/\n";

        RemoteListing.Below(output, "./").Should().Equal("a b/", "a b/c*", "a b2/x", "sub/deep/");
        RemoteListing.Below(output, "./a b").Should().Equal("c*");
    }

    [Fact]
    public void The_script_shows_stars_where_lftp_gets_the_password()
    {
        NodeConfig node = FtpNode("ftp://web@example.org:2121", FtpTls.Require);
        LftpScript script = LftpScript.Open(node, TimeSpan.FromSeconds(30), "p,\"ss\\word");
        script.Add("cd \"x\"");

        string sent = System.Text.Encoding.UTF8.GetString(script.ToBytes());
        sent.Should().Contain("open -u \"web,p,\\\"ss\\\\word\" \"ftp://example.org:2121\"\n").And.Contain("set ftp:ssl-force yes\n")
            .And.Contain("set net:timeout 30\n").And.Contain("set xfer:log no\n").And.EndWith("cd \"x\"\n");
        script.ToString().Should().Contain("open -u \"web,***\" \"ftp://example.org:2121\"\n").And.NotContain("ss\\\\word");
        script.Commands.Should().Equal("cd \"x\"");
    }

    [Fact]
    public void An_sftp_script_logs_in_with_the_ssh_command_and_an_empty_password()
    {
        NodeConfig node = FtpNode("sftp://deploy@web1:2222", FtpTls.Auto) with { RemoteShell = "ssh -i /etc/inosync/key -o \"A B\"" };

        string sent = System.Text.Encoding.UTF8.GetString(LftpScript.Open(node, null, null).ToBytes());

        sent.Should().Contain("set sftp:connect-program \"ssh -i /etc/inosync/key -o \\\"A B\\\"\"\n")
            .And.Contain("open -u \"deploy,\" \"sftp://web1:2222\"\n").And.NotContain("ftp:ssl");
    }

    [Theory]
    [InlineData("ftp://web@example.org", null)]
    [InlineData("ftps://web@example.org", null)]
    [InlineData("ftp://web@example.org", "/etc/inosync/ftp ca \"1\".pem")]
    [InlineData("ftps://web@example.org", "/etc/inosync/ca.pem")]
    public void Ftp_and_ftps_scripts_check_the_certificate_and_host_name_against_the_ca_file_when_given(string url, string? caFile)
    {
        NodeConfig node = FtpNode(url, FtpTls.Auto) with { TlsCaFile = caFile };

        string sent = System.Text.Encoding.UTF8.GetString(LftpScript.Open(node, null, "pw").ToBytes());

        // Said in the script, so that no lftp.conf or ~/.lftprc turns them off.
        sent.Should().Contain("set ssl:verify-certificate yes\n").And.Contain("set ssl:check-hostname yes\n").And.Contain("set ftp:ssl-protect-data yes\n");
        if (caFile is null)
        {
            sent.Should().NotContain("ssl:ca-file", "lftp's default is the system's CA store");
        }
        else
        {
            sent.Should().Contain("set ssl:ca-file " + LftpSyntax.Quote(caFile) + "\n");
        }
    }

    [Theory]
    [InlineData(null, "set net:timeout 60\n", "set xfer:timeout 10\n")]
    [InlineData(4, "set net:timeout 4\n", "set xfer:timeout 4\n")]
    public void An_sftp_upload_that_moves_nothing_for_ten_seconds_fails_instead_of_waiting_for_ever(int? seconds, string network, string transfer)
    {
        NodeConfig node = FtpNode("sftp://deploy@web1", FtpTls.Auto);

        string sent = System.Text.Encoding.UTF8.GetString(LftpScript.Open(node, seconds is int s ? TimeSpan.FromSeconds(s) : null, null).ToBytes());

        sent.Should().Contain(network).And.Contain(transfer);
    }

    internal static NodeConfig FtpNode(string url, FtpTls tls)
    {
        NodeAddress.TryParse(url, out NodeAddress? address, out string? problem).Should().BeTrue(problem);
        return new NodeConfig(url, NodeKind.FileTransfer, url + "/mirror", [], 0, null, MoveStrategy.Rename, "test")
        {
            Endpoint = address!.ToEndpoint("mirror"),
            Tls = tls,
        };
    }
}
