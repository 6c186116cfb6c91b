using Inosync.IntegrationTests.Support;
using Inosync.Testing.Servers;
using static Inosync.IntegrationTests.Remote.FileTransferNodes;

namespace Inosync.IntegrationTests.Remote;

/// <summary>
/// FTP with TLS against a real pure-ftpd that speaks nothing else (control and data encrypted), its certificate for
/// 127.0.0.1 signed by a CA of the test's own: trusted through tls_ca_file, refused without it. ftp:// with explicit
/// TLS (tls = "auto" takes it when offered), and ftps:// (implicit TLS) through a front that greets in TLS, as stunnel
/// does on port 990.
/// </summary>
public sealed class FtpTlsTests
{
    [Theory]
    [InlineData("ftp")]
    [InlineData("ftps")]
    public async Task A_tls_node_trusts_the_server_its_ca_file_vouches_for_and_is_served_like_any_ftp_node(string scheme)
    {
        await using var ftp = await FtpServer.StartNewAsync(tls: true);
        string remote = Path.Combine(ftp.DataPath, RemoteDirectory);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [scheme == "ftps" ? FtpsNode(ftp) : FtpNode(ftp, tls: "auto", extra: $"tls_ca_file = {SyncScenario.TomlString(ftp.CaFile!)}\n")],
            IgnoreModes = true,
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("site/assets"));
                File.WriteAllText(p.Src("site/index.html"), "<h1>hi</h1>");
                File.WriteAllText(p.Src("old.txt"), "old");
            },
        });
        await s.ConvergedAsync();

        // The server refuses a login in clear text: what arrived came through TLS. Batches too, renames included.
        long inode = await InodeAsync(Path.Combine(remote, "site/index.html"));
        File.WriteAllText(s.Src("site/new page.html"), "new");
        await s.ConvergedAsync();
        Directory.Move(s.Src("site"), s.Src("www"));
        File.Delete(s.Src("old.txt"));
        File.WriteAllText(s.Src("www/assets/app.js"), "js");
        await s.ConvergedAsync();
        (await InodeAsync(Path.Combine(remote, "www/index.html"))).Should().Be(inode, "the move is a rename on the server");

        CliResult check = await InosyncProcess.RunAsync("check", "-c", s.ConfigPath);
        check.ExitCode.Should().Be(0, check.ToString());
        string described = scheme == "ftps" ? "FTPS (implicit TLS) with lftp" : "FTP with lftp, tls auto";
        check.StdOut.Should().Contain(described + ", certificate checked against " + ftp.CaFile).And.Contain("set ssl:ca-file").And.NotContain(ftp.Password);
        CliResult verify = await InosyncProcess.RunAsync("verify", "-c", s.ConfigPath);
        verify.ExitCode.Should().Be(0, verify.ToString());
        s.Daemon.LogText.Should().NotContain(ftp.Password);
    }

    [Fact]
    public async Task A_certificate_no_trusted_ca_signed_is_refused_before_the_password_is_sent()
    {
        await using var ftp = await FtpServer.StartNewAsync(tls: true);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            // The system's CAs do not know the test's own.
            ExtraNodes = [FtpNode(ftp, tls: "require")],
            ReadyText = "started with",
            Prepare = p => File.WriteAllText(p.Src("secret.txt"), "not for an unknown server"),
        });

        string error = await s.Daemon.WaitForLogAsync("lftp to " + ftp.Node);
        error.Should().Contain("Certificate verification").And.Contain("NOT trusted").And.Contain("retrying");
        Directory.Exists(Path.Combine(ftp.DataPath, RemoteDirectory)).Should().BeFalse("nothing is sent to a server whose certificate is not trusted");
        s.Daemon.LogText.Should().NotContain(ftp.Password);
    }
}
