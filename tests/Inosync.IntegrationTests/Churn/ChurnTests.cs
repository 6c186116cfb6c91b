using System.Diagnostics;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;
using Inosync.Testing.Servers;
using Xunit.Abstractions;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// The reliability proof: seeded random bursts of every kind of change, applied to the watched tree of the running
/// daemon; once the source is quiet, every node must equal it byte for byte. Seeds, operation counts and how to
/// replay a failure: docs/reliability.md.
/// </summary>
[Collection(ChurnGroup.Name)]
public sealed class ChurnTests(ChurnSshFixture ssh, ITestOutputHelper output)
{
    private static readonly TimeSpan s_convergenceTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Every_node_equals_the_source_after_random_churn()
    {
        if (ssh.Unavailable is { } reason)
        {
            output.WriteLine($"no ssh node: {reason}");
        }

        foreach (int seed in ChurnSettings.Seeds)
        {
            var clock = Stopwatch.StartNew();
            await using var churn = await ChurnHarness.StartAsync(seed, ChurnSettings.Operations, nameof(ChurnTests), ssh.Server);
            await churn.RunWorkloadAsync();
            ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
            output.WriteLine($"{result}; {clock.Elapsed.TotalSeconds:0.0} s in all");
        }
    }

    /// <summary>
    /// Filter rules under churn: names included by pattern in every directory (the "only *.txt" shape), and anchored
    /// subtrees with an excluded directory inside (the "+ /src/***, - /build/" shape). The oracle is rsync itself: once
    /// quiet, every node equals a fresh <c>rsync -a</c> of the source with the same rules into an empty directory.
    /// </summary>
    [Theory]
    [InlineData(0, new[] { "+ */", "+ n1*", "+ *space*", "+ [!n]*", "- *" })]
    [InlineData(1, new[] { "- /*/n1*/", "+ /n[0-9]/***", "+ /n1[0-9]/***", "- *" })]
    public async Task Every_node_equals_a_fresh_rsync_with_the_same_rules_after_random_churn(int offset, string[] rules)
    {
        int seed = ChurnSettings.Seeds[0] + 500 + offset;
        string toml = "filter = [" + string.Join(", ", rules.Select(r => "'" + r + "'")) + "]";

        // The churn's own rexcludes come first, as inosync reads them (see ChurnConfig).
        string[] oracle = ["- *.swp", "- n7/", .. rules];
        var clock = Stopwatch.StartNew();
        await using var churn = await ChurnHarness.StartAsync(
            seed,
            ChurnSettings.FaultOperations,
            nameof(Every_node_equals_a_fresh_rsync_with_the_same_rules_after_random_churn),
            ssh.Server,
            options => options with { ExtraConfig = options.ExtraConfig + "\n" + toml, ExcludedFromNodes = null, RsyncFilterOracle = oracle });
        await churn.RunWorkloadAsync();

        // A seed can leave nothing the rules take (seen in CI with the anchored rules), which would make the comparison
        // vacuous: once the churn is over, an entry they always take is written (offset 1: into a top directory n0-n9).
        string keptDirectory = offset == 0 ? churn.Scenario.Source : Enumerable.Range(0, 10).Where(i => i != 7) // n7/ is a churn exclude
            .Select(i => Path.Combine(churn.Scenario.Source, $"n{i}"))
            .First(d => !Path.Exists(d) || (Directory.Exists(d) && new DirectoryInfo(d).LinkTarget is null));
        Directory.CreateDirectory(keptDirectory);
        await File.WriteAllTextAsync(Path.Combine(keptDirectory, "n1-kept"), "kept by the rules");
        ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
        Directory.EnumerateFileSystemEntries(churn.Scenario.LocalTargets[0]).Should().NotBeEmpty("the rules leave something to sync");
        output.WriteLine($"rules [{string.Join(" | ", rules)}]: {result}; {clock.Elapsed.TotalSeconds:0.0} s in all");
    }

    /// <summary>FTP servers trim leading and trailing spaces and replace control characters: inosync does not send such names.</summary>
    private static bool FtpChangesName(string path)
    {
        string name = path[(path.LastIndexOf('/') + 1)..];
        return name.Any(char.IsControl) || name.StartsWith(' ') || name.EndsWith(' ');
    }

    /// <summary>
    /// Nodes without rsync under churn: an FTP server (pure-ftpd, password login) and an SFTP-only sshd, each alone
    /// behind lftp. Compared by names, types, sizes and contents (modes and mtimes are as each server sets them), with
    /// the names those servers take; FTP cannot carry symbolic links, neither carries FIFOs.
    /// </summary>
    [Theory]
    [InlineData("ftp")]
    [InlineData("sftp")]
    public async Task Every_file_transfer_node_equals_the_source_after_random_churn(string protocol)
    {
        int seed = ChurnSettings.Seeds[0] + (protocol == "ftp" ? 700 : 800);
        await using FtpServer? ftp = protocol == "ftp" ? await FtpServer.StartNewAsync() : null;
        await using SshServer? sftp = protocol == "sftp" ? await SshServer.StartNewAsync(sftpOnly: true) : null;
        ScenarioNode node = ftp is not null
            ? new ScenarioNode(
                $"[[node]]\ntarget = \"{ftp.Node}\"\nrpath = \"mirror\"\ntls = \"off\"\npassword_file = {SyncScenario.TomlString(ftp.PasswordFile)}\n",
                Path.Combine(ftp.DataPath, "mirror"))
            : new ScenarioNode(
                $"[[node]]\ntarget = \"{sftp!.SftpNode}\"\nrpath = {SyncScenario.TomlString(sftp.DataPath)}\nssh = {SyncScenario.TomlString(sftp.SshCommand)}\n",
                sftp.DataPath);
        var clock = Stopwatch.StartNew();
        await using var churn = await ChurnHarness.StartAsync(
            seed,
            ChurnSettings.FaultOperations,
            nameof(Every_file_transfer_node_equals_the_source_after_random_churn),
            ssh: null,
            options => options with
            {
                Targets = 0,
                ExtraNodes = [node],
                CompareFileTimes = true,
                FileTimesToTheSecond = true,
                // FTP carries no modes (--no-perms); SFTP a file's, masked with 022, and no directory's (docs/configuration.md).
                IgnoreModes = ftp is not null,
                FileModeMask = ftp is null ? 0b000_010_010 : null,
                ExcludedFromNodes = (path, kind) => ChurnConfig.IsExcluded(path, kind)
                    || kind == TreeEntryKind.Other || (ftp is not null && (kind == TreeEntryKind.Symlink || FtpChangesName(path))),
            },
            new ChurnOptions { FileTransferNames = true });
        await churn.RunWorkloadAsync();
        ChurnResult result = await churn.AssertConvergedAsync(s_convergenceTimeout);
        output.WriteLine($"{protocol}: {result}; {clock.Elapsed.TotalSeconds:0.0} s in all");
    }
}
