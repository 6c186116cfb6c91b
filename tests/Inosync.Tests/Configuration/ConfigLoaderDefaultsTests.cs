using System.Text;
using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;
using Serilog.Events;

namespace Inosync.Tests.Configuration;

public sealed class ConfigLoaderDefaultsTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-config-");

    public ConfigLoaderDefaultsTests() => _dir.CreateDirectory("www");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Minimal_file_gets_every_default()
    {
        InosyncConfig config = _dir.Load("""
            wpath = "www"
            rpath = "/var/www"
            rnodes = ["web1:"]
            """);

        config.ConfigPath.Should().Be(_dir.PathOf("sync.toml"));
        config.LogFile.Should().BeNull();
        config.PidFile.Should().BeNull();
        config.StatusFile.Should().BeNull();
        config.LogLevel.Should().Be(LogEventLevel.Information);
        config.MaxProcesses.Should().Be(Math.Max(4, 2 * Environment.ProcessorCount));

        SyncConfig sync = config.Syncs.Should().ContainSingle().Subject;
        sync.Name.Should().Be(_dir.PathOf("www"));
        sync.WatchPath.Should().Be(_dir.PathOf("www"));
        sync.RemotePath.Should().Be("/var/www");
        sync.Filter.Rules.Should().BeEmpty();
        sync.RsyncPath.Should().Be("rsync");
        sync.ExtraDelay.Should().Be(TimeSpan.Zero);
        sync.InitialSync.Should().BeTrue();
        sync.Watcher.Should().Be(WatcherKind.Auto);
        sync.QueueCapacity.Should().Be(16384);
        sync.MaxNamesPerDirectory.Should().Be(1000);
        sync.FullSyncInterval.Should().BeNull();
        sync.Location.Should().Be($"{_dir.PathOf("sync.toml")}:1:1");

        NodeConfig node = sync.Nodes.Should().ContainSingle().Subject;
        node.Should().Be(new NodeConfig(
            "web1:", NodeKind.Ssh, "web1:/var/www", node.ExtraArgs, 0, null, MoveStrategy.Rename, $"{_dir.PathOf("sync.toml")}:3:11"));
        node.ExtraArgs.Should().BeEmpty();
    }

    [Fact]
    public void Every_key_at_the_top_level_is_read()
    {
        InosyncConfig config = _dir.Load("""
            log_file = "log/inosync.log"
            pid_file = "/run/inosync.pid"
            status_file = "status.json"
            log_level = "debug"
            max_processes = 3
            name = "website"
            wpath = "www/"
            rpath = "/var/www/"
            rnodes = ["deploy@web1:", "web2::www"]
            rexcludes = ["/.git", "*.tmp"]
            extra = ["-e", "ssh -p 2222"]
            rspeed = 500
            rsync = "/usr/local/bin/rsync"
            edelay = 2.5
            initial_sync = false
            watcher = "portable"
            queue_capacity = 64
            max_names_per_directory = 10
            full_sync_interval = "1h30m"
            moves = "transfer"
            create_dirs = false
            """);

        config.LogFile.Should().Be(_dir.PathOf("log/inosync.log"));
        config.PidFile.Should().Be("/run/inosync.pid");
        config.StatusFile.Should().Be(_dir.PathOf("status.json"));
        config.MaxProcesses.Should().Be(3);
        config.LogLevel.Should().Be(LogEventLevel.Debug);

        SyncConfig sync = config.Syncs.Should().ContainSingle().Subject;
        sync.Name.Should().Be("website");
        sync.WatchPath.Should().Be(_dir.PathOf("www"));
        sync.RemotePath.Should().Be("/var/www/");
        sync.Filter.Rules.Select(r => r.ToRsyncRule()).Should().Equal("- /.git", "- *.tmp");
        sync.RsyncPath.Should().Be("/usr/local/bin/rsync");
        sync.ExtraDelay.Should().Be(TimeSpan.FromSeconds(2.5));
        sync.InitialSync.Should().BeFalse();
        sync.Watcher.Should().Be(WatcherKind.Portable);
        sync.QueueCapacity.Should().Be(64);
        sync.MaxNamesPerDirectory.Should().Be(10);
        sync.FullSyncInterval.Should().Be(TimeSpan.FromMinutes(90));

        sync.Nodes.Select(n => n.Target).Should().Equal("deploy@web1:/var/www", "web2::www/var/www");
        sync.Nodes.Should().AllSatisfy(n =>
        {
            n.ExtraArgs.Should().Equal("-e", "ssh -p 2222");
            n.SpeedLimitKBps.Should().Be(500);
            n.Moves.Should().Be(MoveStrategy.Transfer);
        });
    }

    [Theory]
    [InlineData("debug", LogEventLevel.Debug)]
    [InlineData("info", LogEventLevel.Information)]
    [InlineData("Information", LogEventLevel.Information)]
    [InlineData("WARNING", LogEventLevel.Warning)]
    [InlineData("error", LogEventLevel.Error)]
    public void Log_level_names_are_case_insensitive(string name, LogEventLevel expected) =>
        Load($"log_level = \"{name}\"").LogLevel.Should().Be(expected);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("10", 10_000)]
    [InlineData("0.25", 250)]
    public void Edelay_takes_integer_or_float_seconds(string value, int milliseconds) =>
        Load($"edelay = {value}").Syncs[0].ExtraDelay.Should().Be(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("15m", 15 * 60)]
    [InlineData("6h", 6 * 3600)]
    [InlineData("1d", 86400)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d2h3m4s", 93784)]
    public void Full_sync_interval_takes_durations(string value, int seconds) =>
        Load($"full_sync_interval = \"{value}\"").Syncs[0].FullSyncInterval.Should().Be(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Full_sync_interval_off_means_none() =>
        Load("full_sync_interval = \"off\"").Syncs[0].FullSyncInterval.Should().BeNull();

    [Theory]
    [InlineData("", 1000)]
    [InlineData("max_delete = 0", 0)]
    [InlineData("max_delete = 25000", 25000)]
    [InlineData("max_delete = \"off\"", null)]
    public void Max_delete_defaults_to_1000_and_takes_a_count_or_off(string line, int? expected) =>
        Load(line).Syncs[0].MaxDelete.Should().Be(expected);

    [Theory]
    [InlineData("", 10.0)]
    [InlineData("open_write_interval = 30", 30.0)]
    [InlineData("open_write_interval = 2.5", 2.5)]
    public void Open_write_interval_defaults_to_10_seconds(string line, double seconds) =>
        Load(line).Syncs[0].OpenWriteInterval.Should().Be(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Open_write_interval_below_one_second_is_refused() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\nopen_write_interval = 0.5\n")
            .Should().EndWith("4:23: 'open_write_interval' must be at least 1 second (a file left alone for 1 s is synced anyway)");

    [Theory]
    [InlineData("", 3600)]
    [InlineData("slow_batch = \"30m\"", 1800)]
    [InlineData("slow_batch = \"off\"", null)]
    public void Slow_batch_defaults_to_an_hour_and_takes_a_duration_or_off(string line, int? seconds) =>
        Load(line).Syncs[0].SlowBatch.Should().Be(seconds is { } s ? TimeSpan.FromSeconds(s) : null);

    [Fact]
    public void Slow_batch_set_in_a_sync_wins_over_the_top_level()
    {
        _dir.CreateDirectory("www2");
        _dir.Load("slow_batch = \"2h\"\n[[sync]]\nwpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\nslow_batch = \"off\"\n[[sync]]\nwpath = \"www2\"\nrpath = \"/y\"\nrnodes = [\"a:\"]\n")
            .Syncs.Select(s => s.SlowBatch).Should().Equal(null, TimeSpan.FromHours(2));
    }

    [Theory]
    [InlineData("", 120)]
    [InlineData("rsync_timeout = 30", 30)]
    [InlineData("rsync_timeout = 0", null)]
    public void Rsync_timeout_defaults_to_120_seconds_and_0_turns_it_off(string line, int? seconds) =>
        Load(line).Syncs[0].RsyncTimeout.Should().Be(seconds is { } s ? TimeSpan.FromSeconds(s) : null);

    [Theory]
    [InlineData("max_delete = -1", "'max_delete' must be at least 0, not -1")]
    [InlineData("max_delete = \"none\"", "'max_delete' must be an integer or \"off\", not")]
    public void Max_delete_rejects_negative_counts_and_other_words(string line, string message) =>
        _dir.LoadFails($"wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n{line}\n").Should().Contain(message);

    [Theory]
    [InlineData("auto", WatcherKind.Auto)]
    [InlineData("inotify", WatcherKind.Inotify)]
    [InlineData("Portable", WatcherKind.Portable)]
    public void Watcher_names_are_case_insensitive(string name, WatcherKind expected) =>
        Load($"watcher = \"{name}\"").Syncs[0].Watcher.Should().Be(expected);

    [Fact]
    public void A_bare_rsync_name_is_left_to_be_found_on_PATH() =>
        Load("rsync = \"rsync-3.2\"").Syncs[0].RsyncPath.Should().Be("rsync-3.2");

    [Fact]
    public void A_relative_rsync_path_resolves_against_the_config_directory() =>
        Load("rsync = \"bin/../tools/rsync\"").Syncs[0].RsyncPath.Should().Be(_dir.PathOf("tools/rsync"));

    [Fact]
    public void Bytes_overload_reads_nothing_from_disk_but_resolves_against_the_given_path()
    {
        string path = _dir.PathOf("not-written.toml");
        InosyncConfig config = ConfigLoader.Load(
            Encoding.UTF8.GetBytes("wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"h:\"]\n"),
            path);

        config.ConfigPath.Should().Be(path);
        config.Syncs[0].WatchPath.Should().Be(_dir.PathOf("www"));
        File.Exists(path).Should().BeFalse();
    }

    private InosyncConfig Load(string line) => _dir.Load($"""
        wpath = "www"
        rpath = "/var/www"
        rnodes = ["web1:"]
        {line}
        """);
}
