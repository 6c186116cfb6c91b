using System.Security.Cryptography;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Inosync.Testing.Servers;
using Xunit.Abstractions;
using static Inosync.IntegrationTests.Remote.FileTransferNodes;

namespace Inosync.IntegrationTests.Remote;

/// <summary>
/// Nodes without rsync, reached with lftp: a real pure-ftpd with a password login, and a real sshd that offers nothing
/// but SFTP (ForceCommand internal-sftp), both on 127.0.0.1, fed by the real executable.
/// </summary>
public sealed class FileTransferNodeTests(ITestOutputHelper output)
{
    // Names lftp's quoting and mirror's regular expressions must carry (FTP cannot carry a line break, so none here).
    private static readonly string[] s_awkwardNames =
    [
        "space name.txt", "star*.txt", "question?.txt", "[brackets]", "quote\"d", "single'quote", "back\\slash",
        "-leading-dash", "dollar$(touch PWNED)", "ünïcödé ✓", "a.b", "(paren)|pipe", "^caret$", "comma,",
    ];

    /// <summary>
    /// FTP carries no symbolic links and neither protocol carries FIFOs: the nodes must not have them. pure-ftpd refuses
    /// names with a backslash ("553 Prohibited file name"): reported as unsendable, and the rest still goes.
    /// </summary>
    private static bool NotCarriedByFtp(string path, TreeEntryKind kind) =>
        kind is TreeEntryKind.Symlink or TreeEntryKind.Other || Path.GetFileName(path).Contains('\\', StringComparison.Ordinal);

    [Fact]
    public async Task A_workload_with_awkward_names_converges_on_an_ftp_node_and_renames_are_done_on_the_server()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [FtpNode(ftp)],
            ExcludedFromNodes = NotCarriedByFtp,
            IgnoreModes = true,
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("site/assets"));
                File.WriteAllText(p.Src("site/index.html"), "<h1>hi</h1>");
                File.WriteAllText(p.Src("old.txt"), "old");
                File.CreateSymbolicLink(p.Src("secret-link"), "/etc/shadow");
            },
        });
        await s.ConvergedAsync();

        foreach (string name in s_awkwardNames)
        {
            File.WriteAllText(s.Src(name), name);
            Directory.CreateDirectory(s.Src("dirs/" + name));
            File.WriteAllText(s.Src("dirs/" + name + "/" + name), name + name);
        }

        File.Delete(s.Src("old.txt"));
        File.AppendAllText(s.Src("site/index.html"), "<p>more</p>");
        await s.ConvergedAsync();

        long inode = await InodeAsync(Path.Combine(ftp.DataPath, RemoteDirectory, "site/index.html"));
        Directory.Move(s.Src("site"), s.Src("www [moved]"));
        foreach (string name in s_awkwardNames.Take(7))
        {
            File.Move(s.Src(name), s.Src("renamed " + name));
            File.WriteAllText(s.Src("dirs/" + name + "/" + name), "rewritten, same size?");
        }

        Directory.Delete(s.Src("dirs/" + s_awkwardNames[^1]), recursive: true);
        await s.ConvergedAsync();

        (await InodeAsync(Path.Combine(ftp.DataPath, RemoteDirectory, "www [moved]/index.html"))).Should().Be(inode, "the move is a rename on the server, not a new upload");
        File.Exists(Path.Combine(ftp.DataPath, RemoteDirectory, "secret-link")).Should().BeFalse("a symbolic link is never followed, and FTP cannot make one");
        s.Daemon.LogText.Should().Contain("back\\slash cannot be synced to " + ftp.Node).And.Contain("553");
        Directory.EnumerateFiles("/", "PWNED").Should().BeEmpty();
        s.Daemon.LogText.Should().NotContain(ftp.Password).And.NotContain(ftp.Password[^16..], "not even percent-encoded in a URL");
    }

    [Fact]
    public async Task Filter_rules_decide_on_both_sides_of_an_ftp_node_as_rsync_would()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        string remote = Path.Combine(ftp.DataPath, RemoteDirectory);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [FtpNode(ftp)],
            IgnoreModes = true,
            ExtraConfig = "filter = [\"- *.log\", \"- /cache/\", \"+ /keep/***\", \"- /keep*\"]",
            ExcludedFromNodes = (path, kind) => path.EndsWith(".log", StringComparison.Ordinal) || path == "cache"
                || (path.StartsWith("keep", StringComparison.Ordinal) && path != "keep" && !path.StartsWith("keep/", StringComparison.Ordinal)),
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("cache/x"));
                Directory.CreateDirectory(p.Src("keep/sub"));
                File.WriteAllText(p.Src("keep/sub/a.txt"), "a");
                File.WriteAllText(p.Src("keep/sub/b.log"), "b");
                File.WriteAllText(p.Src("keeper.txt"), "not kept");
                File.WriteAllText(p.Src("cache/x/big"), "cached");
                File.WriteAllText(p.Src("app.log"), "log");
                // On the server only: protected by the rules, as rsync protects excluded files from --delete.
                Directory.CreateDirectory(Path.Combine(ftp.DataPath, RemoteDirectory, "cache"));
                File.WriteAllText(Path.Combine(ftp.DataPath, RemoteDirectory, "server.log"), "the server's own");
                File.WriteAllText(Path.Combine(ftp.DataPath, RemoteDirectory, "cache/server-cache"), "the server's own");
                File.WriteAllText(Path.Combine(ftp.DataPath, RemoteDirectory, "stale.txt"), "deleted by the full sync");
                Shell.RunAsync("chown -R nobody:nogroup \"$1\"", Path.Combine(ftp.DataPath, RemoteDirectory)).GetAwaiter().GetResult();
            },
        });

        // The nodes' protected files are not in the source: compare the rest.
        bool converged = await Eventually.TrueWithinAsync(() => !File.Exists(Path.Combine(remote, "stale.txt")), TimeSpan.FromSeconds(30));
        converged.Should().BeTrue(s.Describe("the full sync did not delete stale.txt", []));
        File.ReadAllText(Path.Combine(remote, "server.log")).Should().Be("the server's own");
        File.ReadAllText(Path.Combine(remote, "cache/server-cache")).Should().Be("the server's own");
        File.Exists(Path.Combine(remote, "keep/sub/a.txt")).Should().BeTrue();
        File.Exists(Path.Combine(remote, "keep/sub/b.log")).Should().BeFalse();
        File.Exists(Path.Combine(remote, "keeper.txt")).Should().BeFalse();

        Directory.CreateDirectory(s.Src("keep/new/deeper"));
        File.WriteAllText(s.Src("keep/new/deeper/c.txt"), "c");
        File.WriteAllText(s.Src("keep/new/deeper/c.log"), "not sent");
        File.WriteAllText(s.Src("cache/x/more"), "not sent");
        bool sent = await Eventually.TrueWithinAsync(() => File.Exists(Path.Combine(remote, "keep/new/deeper/c.txt")), TimeSpan.FromSeconds(30));
        sent.Should().BeTrue(s.Describe("keep/new/deeper/c.txt was not sent", []));
        File.Exists(Path.Combine(remote, "keep/new/deeper/c.log")).Should().BeFalse();
        File.Exists(Path.Combine(remote, "cache/x/more")).Should().BeFalse();
        File.Exists(Path.Combine(remote, "server.log")).Should().BeTrue();
    }

    [Fact]
    public async Task An_sftp_only_account_is_served_names_links_renames_and_deletions_included()
    {
        await using var ssh = await SshServer.StartNewAsync(sftpOnly: true);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [SftpNode(ssh)],
            ExcludedFromNodes = (_, kind) => kind == TreeEntryKind.Other,
            IgnoreModes = true,
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("media/album"));
                for (int i = 0; i < 50; i++)
                {
                    File.WriteAllBytes(p.Src($"media/album/track{i:D2}.bin"), RandomNumberGenerator.GetBytes(1024 * 1024));
                }

                File.CreateSymbolicLink(p.Src("link-to-shadow"), "/etc/shadow");
            },
        });
        await s.ConvergedAsync(TimeSpan.FromSeconds(120));
        new FileInfo(Path.Combine(ssh.DataPath, "link-to-shadow")).LinkTarget.Should().Be("/etc/shadow", "the link is made as a link, never followed");

        foreach (string name in s_awkwardNames)
        {
            File.WriteAllText(s.Src(name), name);
        }

        await s.ConvergedAsync();

        long before = ssh.BytesReceived;
        long inode = await InodeAsync(Path.Combine(ssh.DataPath, "media/album/track00.bin"));
        Directory.Move(s.Src("media/album"), s.Src("media/album (2025 remaster)"));
        File.Delete(s.Src(s_awkwardNames[0]));
        await s.ConvergedAsync();

        long sent = ssh.BytesReceived - before;
        output.WriteLine($"renaming a 50 MB directory sent {sent:N0} bytes to the sftp node");
        sent.Should().BeLessThan(50L * 1024 * 1024 / 20, "the rename is done on the server (< 5 % of 50 MB)");
        (await InodeAsync(Path.Combine(ssh.DataPath, "media/album (2025 remaster)/track00.bin"))).Should().Be(inode);
    }

    [Fact]
    public async Task A_file_that_grows_while_it_is_uploaded_to_an_sftp_node_does_not_stall_the_node()
    {
        // lftp 4.9.2 stops such an upload at the listed size and waits for ever (found by the SFTP churn, seed 931450).
        await using var ssh = await SshServer.StartNewAsync(sftpOnly: true);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [SftpNode(ssh)],
            IgnoreModes = true,
        });
        await s.ConvergedAsync();

        // Each append closes the file, so each starts a batch (an open file waits for its close): the uploads of 32 MB
        // and more overlap the next appends.
        await File.WriteAllBytesAsync(s.Src("growing.log"), RandomNumberGenerator.GetBytes(32 * 1024 * 1024));
        var appending = System.Diagnostics.Stopwatch.StartNew();
        while (appending.Elapsed < TimeSpan.FromSeconds(4))
        {
            await File.AppendAllBytesAsync(s.Src("growing.log"), RandomNumberGenerator.GetBytes(64 * 1024));
            await Task.Delay(10);
        }

        await s.ConvergedAsync(TimeSpan.FromSeconds(50));
        s.Daemon!.LogText.Should().Contain("no progress timeout", "an upload overtaken by the file's growth was cut short and retried");
    }

    [Fact]
    public async Task Small_files_that_grow_between_lftp_listing_them_and_reading_them_do_not_stall_an_sftp_node()
    {
        // lftp 4.9.2 writes such a file up to the size it saw and then waits, in a state its xfer:timeout does not
        // check, until net:timeout (rsync_timeout, 120 s by default) cuts the connection (found by the SFTP churn,
        // seed 396658). The node must stop such an upload sooner and retry.
        await using var ssh = await SshServer.StartNewAsync(sftpOnly: true);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [SftpNode(ssh)],
            IgnoreModes = true,
        });
        await s.ConvergedAsync();

        // Appends that close the file, round after round over many small files: most of them grow while a batch that
        // lists them is running.
        string[] files = [.. Enumerable.Range(0, 200).Select(i => s.Src($"logs/app{i:000}.log"))];
        Directory.CreateDirectory(s.Src("logs"));
        var appending = System.Diagnostics.Stopwatch.StartNew();
        while (appending.Elapsed < TimeSpan.FromSeconds(6))
        {
            foreach (string file in files)
            {
                await File.AppendAllTextAsync(file, "a line of a log\n");
            }
        }

        // Well within rsync_timeout (120 s), which alone would end such a stall.
        await s.ConvergedAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Pretend_logs_the_lftp_script_without_the_password_and_contacts_no_server()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            Arguments = ["--pretend"],
            ExtraNodes = [FtpNode(ftp)],
            IgnoreModes = true,
            Prepare = p => File.WriteAllText(p.Src("initial.txt"), "i"),
        });

        File.WriteAllText(s.Src("later \"quoted\".txt"), "l");
        // The name as the script quotes it: in a regular expression ('.' escaped) in an lftp word ('"' and '\' escaped).
        string line = await s.Daemon.WaitForLogAsync("later \\\"quoted\\\"\\\\.txt");

        line.Should().Contain("with lftp").And.Contain("mirror -R");
        s.Daemon.LogText.Should().Contain("open -u \"inosync,***\"").And.NotContain(ftp.Password);
        Directory.Exists(Path.Combine(ftp.DataPath, RemoteDirectory)).Should().BeFalse("--pretend must not contact the server");
    }

    [Fact]
    public async Task Check_and_verify_show_an_ftp_node_with_lftp_and_never_the_password()
    {
        await using var ftp = await FtpServer.StartNewAsync();
        string remote = Path.Combine(ftp.DataPath, RemoteDirectory);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 0,
            ExtraNodes = [FtpNode(ftp)],
            IgnoreModes = true,
            Prepare = p => File.WriteAllText(p.Src("index.html"), "hi"),
        });
        await s.ConvergedAsync();

        CliResult check = await InosyncProcess.RunAsync("check", "-c", s.ConfigPath);
        check.ExitCode.Should().Be(0, check.ToString());
        check.StdOut.Should().Contain("lftp: ").And.Contain("LFTP | Version").And.Contain("FTP with lftp, tls off")
            .And.Contain("open -u \"inosync,***\"").And.Contain("mirror -R");

        CliResult equal = await InosyncProcess.RunAsync("verify", "-c", s.ConfigPath);
        equal.ExitCode.Should().Be(0, equal.ToString());
        equal.StdOut.Should().Contain(ftp.Node).And.Contain("equal");

        File.WriteAllText(Path.Combine(remote, "extra.txt"), "only on the server");
        CliResult differs = await InosyncProcess.RunAsync("verify", "-c", s.ConfigPath);
        differs.ExitCode.Should().Be(1, differs.ToString());
        differs.StdOut.Should().Contain("1 difference").And.Contain("    rm extra.txt");
        File.Exists(Path.Combine(remote, "extra.txt")).Should().BeTrue("verify changes nothing");

        await ftp.StopAsync();
        CliResult down = await InosyncProcess.RunAsync("verify", "-c", s.ConfigPath);
        down.ExitCode.Should().Be(69, down.ToString());
        down.StdOut.Should().Contain("cannot be compared");
        foreach (CliResult result in new[] { check, equal, differs, down })
        {
            // lftp writes the password into URLs, percent-encoded.
            (result.StdOut + result.StdErr).Should().NotContain(ftp.Password).And.NotContain(Uri.EscapeDataString(ftp.Password))
                .And.NotContain(ftp.Password[^16..]);
        }
    }
}
