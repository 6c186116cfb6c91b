using System.Security.Cryptography;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Inosync.Testing.Servers;
using Xunit.Abstractions;

namespace Inosync.IntegrationTests.Remote;

/// <summary>
/// Real remote nodes: an OpenSSH server and an rsync daemon started on 127.0.0.1 by the test, next to a local
/// node, all fed by the real executable.
/// </summary>
public sealed class RemoteNodeTests(ITestOutputHelper output)
{
    private static ScenarioNode SshNode(SshServer ssh, string extraToml = "") => new(
        $"[[node]]\ntarget = \"{ssh.Node}\"\nrpath = {SyncScenario.TomlString(ssh.DataPath)}\nextra = [\"-e\", {SyncScenario.TomlString(ssh.SshCommand)}]\n{extraToml}",
        ssh.DataPath);

    private static ScenarioNode DaemonNode(RsyncDaemon daemon, string? passwordFile = null) => new(
        $"[[node]]\ntarget = \"{daemon.Node(RsyncDaemonNodeForm.Url)}\"\nrpath = \"\"\npassword_file = {SyncScenario.TomlString(passwordFile ?? daemon.PasswordFile)}\n",
        daemon.ModulePath);

    [Fact]
    public async Task A_mixed_workload_converges_on_local_ssh_and_daemon_nodes()
    {
        await using var ssh = await SshServer.StartNewAsync();
        await using var daemon = await RsyncDaemon.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            ExtraNodes = [SshNode(ssh), DaemonNode(daemon)],
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("site/assets"));
                File.WriteAllText(p.Src("site/index.html"), "<h1>hi</h1>");
                File.WriteAllText(p.Src("site/assets/app.js"), "let x = 1;");
                File.WriteAllText(p.Src("old.txt"), "old");
            },
        });

        File.WriteAllText(s.Src("new file.txt"), "new");
        File.AppendAllText(s.Src("site/index.html"), "<p>more</p>");
        File.Delete(s.Src("old.txt"));
        Directory.CreateDirectory(s.Src("a/b/c"));
        File.WriteAllText(s.Src("a/b/c/deep [1].txt"), "deep");
        Directory.Move(s.Src("site"), s.Src("www"));
        Directory.CreateDirectory(s.Src("hostile/$(touch PWNED)"));
        File.WriteAllText(s.Src("hostile/$(touch PWNED)/;rm -rf x"), "h");
        await s.ConvergedAsync();

        Directory.Move(s.Src("hostile/$(touch PWNED)"), s.Src("hostile/`touch PWNED` -x"));
        Directory.Move(s.Src("www/assets"), s.Src("a/b/assets"));
        File.WriteAllText(s.Src("a/b/assets/app.js"), "let x = 2;");

        await s.ConvergedAsync();

        // Only files written in directories that exist, on a quiet tree: a file-list batch (--files-from) through ssh
        // and the daemon protocol, hostile names included.
        File.WriteAllText(s.Src("a/b/c/deep [1].txt"), "rewritten");
        File.WriteAllText(s.Src("hostile/`touch PWNED` -x/--delete $(touch PWNED)"), "h2");
        File.WriteAllText(s.Src("www/index.html"), "<h1>again</h1>");
        await s.ConvergedAsync();
        Directory.EnumerateFiles("/", "PWNED").Should().BeEmpty();
        Directory.EnumerateFiles(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "PWNED").Should().BeEmpty();
    }

    [Fact]
    public async Task A_wrong_daemon_password_is_a_clear_error_naming_the_node_and_the_other_nodes_stay_current()
    {
        await using var daemon = await RsyncDaemon.StartNewAsync();
        using var secrets = new TempTree("inosync-it-");
        const string WrongPassword = "not-the-password-1234";
        string wrong = secrets.WriteFile("wrong.secret", WrongPassword + "\n");
        File.SetUnixFileMode(wrong, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            ExtraNodes = [DaemonNode(daemon, wrong)],
            ReadyText = "started with",
        });

        File.WriteAllText(s.Src("f.txt"), "content");
        bool local = await Eventually.TrueWithinAsync(() => TreeComparer.Differences(s.Source, s.LocalTargets[0]).Count == 0, TimeSpan.FromSeconds(30));
        local.Should().BeTrue(s.Describe("the local node fell behind", TreeComparer.Differences(s.Source, s.LocalTargets[0])));
        string error = await s.Daemon.WaitForLogAsync("exit code 5");

        error.Should().Contain(daemon.Node(RsyncDaemonNodeForm.Url)).And.Contain("retrying");
        s.Daemon.LogText.Should().NotContain(WrongPassword).And.NotContain(daemon.Password);
        File.Exists(Path.Combine(daemon.ModulePath, "f.txt")).Should().BeFalse();
    }

    [Fact]
    public async Task A_stopped_ssh_server_is_retried_with_backoff_and_catches_up_when_it_returns()
    {
        await using var ssh = await SshServer.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions { Targets = 1, ExtraNodes = [SshNode(ssh)] });
        File.WriteAllText(s.Src("before.txt"), "1");
        await s.ConvergedAsync();

        await ssh.StopAsync();
        File.WriteAllText(s.Src("during.txt"), "2");
        Directory.CreateDirectory(s.Src("dir-during/x"));
        File.WriteAllText(s.Src("dir-during/x/f"), "3");
        File.Delete(s.Src("before.txt"));
        bool local = await Eventually.TrueWithinAsync(() => TreeComparer.Differences(s.Source, s.LocalTargets[0]).Count == 0, TimeSpan.FromSeconds(30));
        local.Should().BeTrue(s.Describe("the local node fell behind while ssh was down", TreeComparer.Differences(s.Source, s.LocalTargets[0])));
        await s.Daemon.WaitForLogAsync("retrying");
        File.Exists(Path.Combine(ssh.DataPath, "during.txt")).Should().BeFalse("the ssh node is down");

        await ssh.StartAsync();

        await s.ConvergedAsync(TimeSpan.FromSeconds(90));
        // The files land before rsync exits and the worker logs the recovery: wait for the line, don't snapshot.
        await s.Daemon.WaitForLogAsync("is back after");
    }

    [Fact]
    public async Task Pretend_with_every_node_kind_logs_the_exact_commands_and_contacts_no_server()
    {
        await using var ssh = await SshServer.StartNewAsync();
        await using var daemon = await RsyncDaemon.StartNewAsync();
        long sshBytes = ssh.BytesReceived;
        long daemonBytes = daemon.BytesReceived;
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            Arguments = ["--pretend"],
            ExtraNodes = [SshNode(ssh), DaemonNode(daemon)],
            Prepare = p => File.WriteAllText(p.Src("initial.txt"), "i"),
        });

        File.WriteAllText(s.Src("later.txt"), "l");
        await s.Daemon.WaitForLogAsync("later.txt");

        string log = s.Daemon.LogText;
        log.Should().Contain(ssh.Node + ssh.DataPath + "/").And.Contain(ssh.SshCommand);
        log.Should().Contain(daemon.Node(RsyncDaemonNodeForm.Url) + "/").And.Contain("--password-file=" + daemon.PasswordFile);
        log.Should().NotContain(daemon.Password);
        ssh.BytesReceived.Should().Be(sshBytes, "--pretend must not contact the ssh server");
        daemon.BytesReceived.Should().Be(daemonBytes, "--pretend must not contact the rsync daemon");
        foreach (string target in s.Targets)
        {
            Directory.EnumerateFileSystemEntries(target).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Renaming_a_50_MB_directory_sends_only_a_small_fraction_of_it_to_an_ssh_node()
    {
        await using var ssh = await SshServer.StartNewAsync();
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            Targets = 1,
            ExtraNodes = [SshNode(ssh)],
            Rsync = dir => RsyncWrapper.Create(dir),
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("media/album"));
                for (int i = 0; i < 50; i++)
                {
                    File.WriteAllBytes(p.Src($"media/album/track{i:D2}.bin"), RandomNumberGenerator.GetBytes(1024 * 1024));
                }
            },
        });
        await s.ConvergedAsync();
        long before = ssh.BytesReceived;
        long localInode = await InodeAsync(Path.Combine(s.LocalTargets[0], "media/album/track00.bin"));

        Directory.Move(s.Src("media/album"), s.Src("media/album (2025 remaster)"));
        await s.ConvergedAndQuietAsync(TimeSpan.FromSeconds(1));

        long sent = ssh.BytesReceived - before;
        output.WriteLine($"renaming a 50 MB directory sent {sent:N0} bytes to the ssh node");
        sent.Should().BeLessThan(50L * 1024 * 1024 / 20, "the rename is applied on the node; rsync only confirms it (< 5 % of 50 MB)");
        (await InodeAsync(Path.Combine(s.LocalTargets[0], "media/album (2025 remaster)/track00.bin"))).Should().Be(localInode, "the local node renames too, not re-copies");
    }

    private static async Task<long> InodeAsync(string path) =>
        long.Parse((await Shell.RunAsync("stat -c %i \"$1\"", path)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
