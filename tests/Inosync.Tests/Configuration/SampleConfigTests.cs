using System.Text;
using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Toml;

namespace Inosync.Tests.Configuration;

/// <summary>samples/sync.toml, samples/demo.toml and samples/multi-node.toml load, and sync.toml and docs/configuration.md mention every key.</summary>
public sealed class SampleConfigTests : IDisposable
{
    private static readonly string s_repository = FindRepository();

    private readonly TempTree _dir = new("inosync-config-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reference_sample_is_valid_toml() =>
        TomlReader.Parse(File.ReadAllBytes(Sample("sync.toml")), "sync.toml").Count.Should().BeGreaterThan(0);

    [Fact]
    public void Reference_sample_loads_once_its_paths_exist()
    {
        // The sample names real system paths; point them into the temp directory.
        string secret = _dir.WriteFile("rsync.secret", "s3cret\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        string toml = Replace(
            File.ReadAllText(Sample("sync.toml")),
            ("\"/srv/www\"", $"\"{_dir.CreateDirectory("www")}\""),
            ("\"/srv/media\"", $"\"{_dir.CreateDirectory("media")}\""),
            ("\"/mnt/backup/www\"", $"\"{_dir.PathOf("backup/www")}\""),
            ("\"/etc/inosync/rsync.secret\"", $"\"{secret}\""));

        InosyncConfig config = ConfigLoader.Load(Encoding.UTF8.GetBytes(toml), _dir.PathOf("sync.toml"));

        config.LogFile.Should().Be("/var/log/inosync/inosync.log");
        config.Syncs.Select(s => s.Name).Should().Equal("www", "www-backup", "media");
        config.Syncs.SelectMany(s => s.Nodes).Select(n => n.Target).Should().Equal(
            "deploy@web1.example.com:/var/www",
            "deploy@web2.example.com:/var/www",
            "deploy@web3.example.com:/var/www",
            _dir.PathOf("backup/www"),
            "rsync://backup@archive.example.com:8873/media",
            "mirror.example.com::media");

        NodeConfig web3 = config.Syncs[0].Nodes[2];
        web3.ExtraArgs.Should().Equal("--chmod=D755,F644", "-e", "ssh -p 2222 -i /etc/inosync/id_ed25519");
        web3.SpeedLimitKBps.Should().Be(5000);
        web3.Moves.Should().Be(MoveStrategy.Transfer);

        config.Syncs[0].FullSyncInterval.Should().Be(TimeSpan.FromHours(6));
        config.Syncs[1].FullSyncInterval.Should().BeNull();
        config.Syncs[2].Nodes[0].PasswordFile.Should().Be(secret);
        config.Syncs[2].Nodes.Should().AllSatisfy(n => n.Moves.Should().Be(MoveStrategy.Transfer));
    }

    [Fact]
    public void Multi_node_sample_loads_with_local_ssh_and_daemon_nodes_in_three_syncs()
    {
        string secret = _dir.WriteFile("rsync.secret", "s3cret\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        string toml = Replace(
            File.ReadAllText(Sample("multi-node.toml")),
            ("\"/srv/www\"", $"\"{_dir.CreateDirectory("www")}\""),
            ("\"/srv/uploads\"", $"\"{_dir.CreateDirectory("uploads")}\""),
            ("\"/srv/etc-shared\"", $"\"{_dir.CreateDirectory("etc-shared")}\""),
            ("\"/mnt/backup/www\"", $"\"{_dir.PathOf("backup/www")}\""),
            ("\"/etc/inosync/rsync.secret\"", $"\"{secret}\""));

        InosyncConfig config = ConfigLoader.Load(Encoding.UTF8.GetBytes(toml), _dir.PathOf("multi-node.toml"));

        config.StatusFile.Should().Be("/run/inosync/status.json");
        config.PidFile.Should().Be("/run/inosync/inosync.pid");
        config.Syncs.Select(s => s.Name).Should().Equal("www", "uploads", "etc");
        config.Syncs.SelectMany(s => s.Nodes).Select(n => n.Kind).Should().Contain([NodeKind.Local, NodeKind.Ssh, NodeKind.RsyncDaemon]);
        config.Syncs[0].Nodes.Select(n => n.Target).Should().Equal(
            "deploy@web1.example.com:/var/www", "deploy@web2.example.com:/var/www", "deploy@web3.example.com:/var/www", _dir.PathOf("backup/www"));
        config.Syncs[1].Nodes.Select(n => n.Target).Should().Equal("rsync://inosync@archive.example.com:8873/uploads", "mirror.example.com::uploads");
        config.Syncs[1].Nodes.Should().AllSatisfy(n => n.SpeedLimitKBps.Should().Be(20000));
        config.Syncs[2].Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- *.swp", "- *~", "- .#*");
    }

    [Fact]
    public void Demo_creates_and_mirrors_its_directories_next_to_the_config()
    {
        // A copy, so the test does not create samples/demo in the repository.
        string copy = _dir.WriteFile("samples/demo.toml", File.ReadAllText(Sample("demo.toml")));

        SyncConfig sync = ConfigLoader.Load(copy).Syncs.Should().ContainSingle().Subject;

        sync.WatchPath.Should().Be(_dir.PathOf("samples/demo/source"));
        sync.Nodes.Should().ContainSingle().Which.Target.Should().Be(_dir.PathOf("samples/demo/target"));
        sync.Nodes[0].Kind.Should().Be(NodeKind.Local);
        Directory.Exists(sync.WatchPath).Should().BeTrue();
        Directory.Exists(sync.Nodes[0].Target).Should().BeTrue();
    }

    [Fact]
    public void Every_key_is_documented_and_in_the_reference_sample()
    {
        string docs = File.ReadAllText(Path.Combine(s_repository, "docs", "configuration.md"));
        string sample = File.ReadAllText(Sample("sync.toml"));
        IEnumerable<string> keys = new[] { ConfigScope.Global, ConfigScope.Sync, ConfigScope.Node }
            .SelectMany(ConfigKeys.AllowedIn)
            .Distinct()
            .Except([ConfigKeys.Sync, ConfigKeys.Node]);

        keys.Should().AllSatisfy(key =>
        {
            docs.Should().Contain($"### `{key}`", "docs/configuration.md has a section per key");
            sample.Should().MatchRegex($"(?m)^#? ?{key} = ", "samples/sync.toml shows every key");
        });
    }

    private static string Sample(string name) => Path.Combine(s_repository, "samples", name);

    private static string Replace(string text, params (string Old, string New)[] replacements)
    {
        foreach ((string old, string replacement) in replacements)
        {
            text.Should().Contain(old, "the sample still names that path");
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        return text;
    }

    private static string FindRepository()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "inosync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no inosync.sln above {AppContext.BaseDirectory}");
    }
}
