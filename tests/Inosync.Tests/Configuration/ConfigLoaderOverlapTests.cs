using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary>
/// Checks across [[sync]] tables: one sync's local node must never write into, or contain, another sync's watched
/// tree, and no two local targets may be one directory or nest (rsync --delete into one wipes the other).
/// </summary>
public sealed class ConfigLoaderOverlapTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-overlap-");

    public ConfigLoaderOverlapTests()
    {
        _dir.CreateDirectory("a");
        _dir.CreateDirectory("b");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_target_equal_to_another_syncs_wpath_is_rejected()
    {
        _dir.LoadFails(TwoSyncs(secondTarget: "a")).Should().Be(
            $"{SyncToml}:8:11: local node target '{_dir.PathOf("a")}' is wpath '{_dir.PathOf("a")}' of the sync at {SyncToml}:2:9: it would overwrite that watched tree");
    }

    [Fact]
    public void A_target_inside_another_syncs_wpath_is_rejected()
    {
        _dir.LoadFails(TwoSyncs(secondTarget: "a/copy")).Should().Contain(
            $"local node target '{_dir.PathOf("a/copy")}' lies inside wpath '{_dir.PathOf("a")}' of the sync at {SyncToml}:2:9");
    }

    [Fact]
    public void A_target_containing_another_syncs_wpath_is_rejected()
    {
        _dir.CreateDirectory("outer/w");

        string message = _dir.LoadFails("""
            [[sync]]
            wpath = "outer/w"
            rpath = "m1"
            rnodes = [""]
            [[sync]]
            wpath = "b"
            rpath = "outer"
            rnodes = [""]
            """);

        message.Should().Be(
            $"{SyncToml}:8:11: wpath '{_dir.PathOf("outer/w")}' of the sync at {SyncToml}:2:9 lies inside local node target '{_dir.PathOf("outer")}': rsync --delete would delete the watched tree");
    }

    [Fact]
    public void Two_syncs_whose_targets_are_one_directory_through_a_symlink_are_rejected()
    {
        string real = _dir.CreateDirectory("mirror");
        Directory.CreateSymbolicLink(_dir.PathOf("alias"), real);

        string message = _dir.LoadFails("""
            [[sync]]
            wpath = "a"
            rpath = "mirror"
            rnodes = [""]
            [[sync]]
            wpath = "b"
            rpath = "alias"
            rnodes = [""]
            """);

        message.Should().Be(
            $"{SyncToml}:8:11: local node target '{_dir.PathOf("alias")}' is the same directory as local node target '{real}' at {SyncToml}:4:11 " +
            $"(after resolving symbolic links: '{real}' and '{real}'): rsync --delete into one would delete the other's files");
    }

    [Fact]
    public void Nested_local_targets_are_rejected()
    {
        string message = _dir.LoadFails("""
            [[sync]]
            wpath = "a"
            rpath = "m"
            rnodes = [""]
            [[sync]]
            wpath = "b"
            rpath = "m/b"
            rnodes = [""]
            """);

        message.Should().Contain($"local node target '{_dir.PathOf("m/b")}' lies inside local node target '{_dir.PathOf("m")}'");
    }

    [Fact]
    public void Separate_trees_and_targets_load()
    {
        InosyncConfig config = _dir.Load(TwoSyncs(secondTarget: "mirror-b"));

        config.Syncs.Should().HaveCount(2);
    }

    private static string TwoSyncs(string secondTarget) => $"""
        [[sync]]
        wpath = "a"
        rpath = "mirror-a"
        rnodes = [""]
        [[sync]]
        wpath = "b"
        rpath = "mirror-b"
        rnodes = [""]
        """.Replace("rpath = \"mirror-b\"", $"rpath = \"{secondTarget}\"", StringComparison.Ordinal);

    private string SyncToml => _dir.PathOf("sync.toml");
}
