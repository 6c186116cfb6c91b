using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary>[[sync]] tables: top-level sync keys are their defaults; a key in the table replaces the default.</summary>
public sealed class ConfigLoaderSyncTableTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-config-");

    public ConfigLoaderSyncTableTests()
    {
        _dir.CreateDirectory("www");
        _dir.CreateDirectory("media");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Each_sync_inherits_the_top_level_keys_it_does_not_set()
    {
        InosyncConfig config = _dir.Load("""
            log_level = "warning"
            rnodes = ["web1:", "web2:"]
            rexcludes = ["*.tmp"]
            extra = ["--chmod=F644"]
            rspeed = 100
            edelay = 3
            watcher = "inotify"

            [[sync]]
            wpath = "www"
            rpath = "/var/www"

            [[sync]]
            name = "media"
            wpath = "media"
            rpath = "/var/media"
            rexcludes = ["*.part"]
            rspeed = 0
            edelay = 0.5
            """);

        config.LogLevel.Should().Be(Serilog.Events.LogEventLevel.Warning);
        config.Syncs.Should().HaveCount(2);

        SyncConfig www = config.Syncs[0];
        www.Name.Should().Be(_dir.PathOf("www"));
        www.Location.Should().Be($"{SyncToml}:9:1");
        www.Nodes.Select(n => n.Target).Should().Equal("web1:/var/www", "web2:/var/www");
        www.Nodes.Should().AllSatisfy(n => n.SpeedLimitKBps.Should().Be(100));
        www.Nodes.Should().AllSatisfy(n => n.ExtraArgs.Should().Equal("--chmod=F644"));
        www.Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- *.tmp");
        www.ExtraDelay.Should().Be(TimeSpan.FromSeconds(3));
        www.Watcher.Should().Be(WatcherKind.Inotify);

        SyncConfig media = config.Syncs[1];
        media.Name.Should().Be("media");
        media.Location.Should().Be($"{SyncToml}:13:1");
        media.Nodes.Select(n => n.Target).Should().Equal("web1:/var/media", "web2:/var/media");
        media.Nodes.Should().AllSatisfy(n => n.SpeedLimitKBps.Should().Be(0));
        media.Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- *.part");
        media.ExtraDelay.Should().Be(TimeSpan.FromSeconds(0.5));
        media.Watcher.Should().Be(WatcherKind.Inotify);
    }

    [Fact]
    public void An_empty_array_in_a_sync_replaces_the_default()
    {
        InosyncConfig config = _dir.Load("""
            rpath = "/x"
            rnodes = ["a:"]
            rexcludes = ["*.tmp"]
            extra = ["-z"]

            [[sync]]
            wpath = "www"
            rexcludes = []
            extra = []
            """);

        config.Syncs[0].Filter.Rules.Should().BeEmpty();
        config.Syncs[0].Nodes[0].ExtraArgs.Should().BeEmpty();
    }

    [Fact]
    public void Nodes_are_inherited_only_as_a_whole()
    {
        InosyncConfig config = _dir.Load("""
            rpath = "/x"
            rnodes = ["a:"]

            [[node]]
            target = "b::m"

            [[sync]]
            wpath = "www"

            [[sync]]
            wpath = "media"
            [[sync.node]]
            target = "c:"
            """);

        config.Syncs[0].Nodes.Select(n => n.Target).Should().Equal("a:/x", "b::m/x");
        config.Syncs[0].Nodes[1].Location.Should().Be($"{SyncToml}:4:1");
        config.Syncs[1].Nodes.Select(n => n.Target).Should().Equal("c:/x");
        config.Syncs[1].Nodes[0].Location.Should().Be($"{SyncToml}:12:1");
    }

    [Fact]
    public void Sync_rnodes_and_sync_node_tables_combine()
    {
        InosyncConfig config = _dir.Load("""
            [[sync]]
            wpath = "www"
            rpath = "/x"
            rnodes = ["a:"]
            [[sync.node]]
            target = "rsync://b/m"
            [[sync.node]]
            target = "c:"
            extra = ["-v"]
            """);

        config.Syncs[0].Nodes.Select(n => n.Target).Should().Equal("a:/x", "rsync://b/m/x", "c:/x");
        config.Syncs[0].Nodes[2].ExtraArgs.Should().Equal("-v");
    }

    [Fact]
    public void A_sync_without_wpath_anywhere_is_rejected() =>
        _dir.LoadFails("rnodes = [\"a:\"]\nrpath = \"/x\"\n\n[[sync]]\nname = \"x\"\n")
            .Should().Be($"{SyncToml}:4:1: missing key 'wpath' (the directory to watch) (neither this [[sync]] table nor the top level sets it)");

    [Fact]
    public void A_sync_without_nodes_anywhere_is_rejected() =>
        _dir.LoadFails("rpath = \"/x\"\n\n[[sync]]\nwpath = \"www\"\n")
            .Should().Be($"{SyncToml}:3:1: no nodes: add 'rnodes' or a [[sync.node]] table (neither this [[sync]] table nor the top level sets it)");

    [Fact]
    public void Sync_node_table_key_errors_point_into_the_sync() =>
        _dir.LoadFails("[[sync]]\nwpath = \"www\"\n[[sync.node]]\ntarget = \"a:\"\nrexcludes = [\"x\"]\n")
            .Should().Be($"{SyncToml}:5:1: 'rexcludes' is not allowed in a node table (allowed there: target, rpath, extra, ssh, password_file, tls, tls_ca_file, rspeed, moves)");

    [Fact]
    public void A_node_table_rpath_overrides_the_sync_rpath_so_two_local_copies_can_coexist()
    {
        InosyncConfig config = _dir.Load("""
            wpath = "www"
            rpath = "/x"
            rnodes = ["a:"]
            [[node]]
            target = ""
            rpath = "copy1"
            [[node]]
            target = ""
            rpath = "copy2"
            """);

        config.Syncs[0].Nodes.Select(n => n.Target).Should().Equal("a:/x", _dir.PathOf("copy1"), _dir.PathOf("copy2"));
    }

    [Fact]
    public void Sync_names_must_differ() =>
        _dir.LoadFails("rpath = \"/x\"\n[[sync]]\nwpath = \"www\"\nrnodes = [\"a:\"]\n[[sync]]\nwpath = \"www/\"\nrnodes = [\"b:\"]\n")
            .Should().Be($"{SyncToml}:5:1: sync name '{_dir.PathOf("www")}' is also the name of the sync at {SyncToml}:2:1; give each [[sync]] its own 'name'");

    [Fact]
    public void Two_syncs_may_watch_one_tree_under_different_names()
    {
        InosyncConfig config = _dir.Load("""
            wpath = "www"
            rpath = "/x"
            [[sync]]
            name = "fast"
            rnodes = ["a:"]
            [[sync]]
            name = "slow"
            rnodes = ["b:"]
            rspeed = 10
            """);

        config.Syncs.Select(s => s.Name).Should().Equal("fast", "slow");
        config.Syncs.Should().AllSatisfy(s => s.WatchPath.Should().Be(_dir.PathOf("www")));
    }

    [Fact]
    public void Two_syncs_with_the_same_target_are_rejected() =>
        _dir.LoadFails("rpath = \"/x\"\nrnodes = [\"a:\"]\n[[sync]]\nwpath = \"www\"\n[[sync]]\nwpath = \"media\"\n").Should().Be(
            $"{SyncToml}:2:11: node target 'a:/x' is also a target of the sync at {SyncToml}:3:1: two syncs would overwrite each other's files");

    [Fact]
    public void Sync_key_errors_in_unused_top_level_defaults_are_still_reported() =>
        _dir.LoadFails("rspeed = \"x\"\n[[sync]]\nwpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\nrspeed = 1\n")
            .Should().Be($"{SyncToml}:1:10: 'rspeed' must be an integer, not a string");

    private string SyncToml => _dir.PathOf("sync.toml");
}
