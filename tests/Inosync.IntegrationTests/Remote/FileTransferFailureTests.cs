using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Inosync.Testing.Servers;
using static Inosync.IntegrationTests.Remote.FileTransferNodes;

namespace Inosync.IntegrationTests.Remote;

/// <summary>
/// What goes wrong on servers without rsync, against a real pure-ftpd on 127.0.0.1: each failure is a clear log line
/// and a retry with the node's backoff, never a name left out for good, and the node catches up once the server is
/// fixed. (A server that accepts and never answers: the unit tests' UnresponsiveNodeTests.)
/// </summary>
public sealed class FileTransferFailureTests
{
    [Fact]
    public async Task A_wrong_ftp_password_is_a_clear_error_retried_politely_and_shown_nowhere()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        using var secrets = new TempTree("inosync-it-");
        const string WrongPassword = "wrong-password-5678";
        string wrong = secrets.WriteFile("wrong.secret", WrongPassword + "\n");
        File.SetUnixFileMode(wrong, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string status = secrets.PathOf("status.json");
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [FtpNode(ftp, wrong)],
            GlobalConfig = $"status_file = {SyncScenario.TomlString(status)}",
            ReadyText = "started with",
        });

        // Each refused login costs the server's own delay (seconds): the second failure shows the retries go on.
        string error = await s.Daemon.WaitForLogAsync("Login failed");
        error.Should().Contain(ftp.Node).And.Contain("retrying");
        bool retried = await Eventually.TrueWithinAsync(
            () => s.Daemon.LogText.Split("Full sync of " + ftp.Node, StringSplitOptions.None).Length > 3, TimeSpan.FromSeconds(90));
        retried.Should().BeTrue(s.Describe("the node was not retried twice", []));
        s.Daemon.LogText.Should().Contain("ERR", "a refused login is an error, not a passing warning");
        string statusText = await File.ReadAllTextAsync(status);
        statusText.Should().Contain("Login failed");
        foreach (string text in new[] { s.Daemon.LogText, statusText })
        {
            text.Should().NotContain(WrongPassword).And.NotContain(ftp.Password);
        }

        // Every process on the machine: the password is never on a command line.
        foreach (string cmdline in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Where(File.Exists))
        {
            string text;
            try
            {
                text = File.ReadAllText(cmdline);
            }
            catch (IOException)
            {
                continue;
            }

            text.Should().NotContain(WrongPassword);
        }
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("sftp")]
    public async Task A_stopped_server_is_retried_and_the_node_catches_up_when_it_returns(string protocol)
    {
        await using FtpServer? ftp = protocol == "ftp" ? await FtpServer.StartNewAsync() : null;
        await using SshServer? sftp = protocol == "sftp" ? await SshServer.StartNewAsync(sftpOnly: true) : null;
        ScenarioNode node = ftp is not null ? FtpNode(ftp) : SftpNode(sftp!);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions { Targets = 0, ExtraNodes = [node], IgnoreModes = true });
        File.WriteAllText(s.Src("before.txt"), "1");
        await s.ConvergedAsync();

        await (ftp is not null ? ftp.StopAsync() : sftp!.StopAsync());
        File.WriteAllText(s.Src("during.txt"), "2");
        Directory.CreateDirectory(s.Src("dir-during/x"));
        File.WriteAllText(s.Src("dir-during/x/f"), "3");
        File.Delete(s.Src("before.txt"));
        string error = await s.Daemon.WaitForLogAsync("retrying");
        error.Should().Contain("the server refused the connection, or did not answer within rsync_timeout");
        File.Exists(Path.Combine(node.LocalPath, "during.txt")).Should().BeFalse("the server is down");

        await (ftp is not null ? ftp.StartAsync() : sftp!.StartAsync());

        await s.ConvergedAsync(TimeSpan.FromSeconds(90));
        await s.Daemon.WaitForLogAsync("is back after");
    }

    [Fact]
    public async Task Tls_require_against_a_server_without_tls_fails_clearly_and_never_logs_in_in_clear_text()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions { Targets = 0, ExtraNodes = [FtpNode(ftp, tls: "require")], ReadyText = "started with" });

        string error = await s.Daemon.WaitForLogAsync("lftp to " + ftp.Node);
        error.Should().Contain("retrying").And.ContainAny("ssl", "SSL", "TLS", "AUTH");
        Directory.Exists(Path.Combine(ftp.DataPath, RemoteDirectory)).Should().BeFalse("no login without TLS");
        s.Daemon.LogText.Should().NotContain(ftp.Password);
    }

    [Fact]
    public async Task A_directory_the_ftp_user_may_not_write_is_retried_not_left_out_and_catches_up_once_writable()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [FtpNode(ftp)],
            IgnoreModes = true,
            // The first failure is a warning, the retries after it are logged at debug level.
            Arguments = ["--verbose"],
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("locked"));
                File.WriteAllText(p.Src("locked/old.txt"), "old");
            },
        });
        await s.ConvergedAsync();

        // The server writes as nobody: a directory of root's is one it may not write ("553 Can't open that file:
        // Permission denied" from pure-ftpd, the code FTP also uses for names it refuses).
        string locked = Path.Combine(ftp.DataPath, RemoteDirectory, "locked");
        await Shell.RunAsync("chown root:root \"$1\"", locked);
        File.WriteAllText(s.Src("locked/new.txt"), "new");
        File.WriteAllText(s.Src("elsewhere.txt"), "not held back");

        string error = await s.Daemon.WaitForLogAsync("Permission denied");
        error.Should().Contain(ftp.Node).And.Contain("retrying");
        await s.Daemon.WaitForLogAsync("attempt 2");

        await Shell.RunAsync("chown nobody:nogroup \"$1\"", locked);
        await s.ConvergedAsync(TimeSpan.FromSeconds(90));
        s.Daemon.LogText.Should().NotContain("cannot be synced", "a permission the server denies is the node's failure, not a name to leave out");
    }

    [Fact]
    public async Task A_full_disk_on_the_ftp_server_is_retried_and_the_node_catches_up_when_there_is_room_again()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions { Targets = 0, ExtraNodes = [FtpNode(ftp)], IgnoreModes = true, Arguments = ["--verbose"] });
        File.WriteAllText(s.Src("before.txt"), "1");
        await s.ConvergedAsync();

        await ftp.StopAsync();
        ftp.MaxDiskUsagePercent = 1;
        await ftp.StartAsync();
        Directory.CreateDirectory(s.Src("during/x"));
        File.WriteAllBytes(s.Src("during/x/data.bin"), new byte[256 * 1024]);
        File.WriteAllText(s.Src("before.txt"), "changed while the disk was full");

        string error = await s.Daemon.WaitForLogAsync("Disk full");
        error.Should().Contain(ftp.Node).And.Contain("retrying");
        await s.Daemon.WaitForLogAsync("attempt 2");

        await ftp.StopAsync();
        ftp.MaxDiskUsagePercent = null;
        await ftp.StartAsync();
        await s.ConvergedAsync(TimeSpan.FromSeconds(90));
        s.Daemon.LogText.Should().NotContain("cannot be synced");
    }
}
