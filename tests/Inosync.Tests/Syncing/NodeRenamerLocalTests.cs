using System.Runtime.Versioning;
using Inosync;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Renaming;
using Inosync.Tests.Support;
using Serilog.Events;

namespace Inosync.Tests.Syncing;

/// <summary>Renames on a local node: what is renamed, and everything that must be left to rsync instead.</summary>
[SupportedOSPlatform("linux")]
public sealed class NodeRenamerLocalTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("inosync-rename-").FullName;
    private readonly string _node;
    private readonly LogCapture _log = new();
    private readonly NodeRenamer _renamer;

    public NodeRenamerLocalTests()
    {
        _node = Path.Combine(_scratch, "node");
        Directory.CreateDirectory(_node);
        _renamer = new NodeRenamer(_log.Logger);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task Renames_a_file()
    {
        Write("docs/a.txt", "A");

        int renamed = await RenameAsync(new MovedPath("docs/a.txt", "docs/b.txt", false));

        renamed.Should().Be(1);
        Read("docs/b.txt").Should().Be("A");
        Exists("docs/a.txt").Should().BeFalse();
    }

    [Fact]
    public async Task Renames_a_directory_with_everything_below_it_into_another_parent()
    {
        Write("photos/2024/x/1.jpg", "1");
        Write("photos/2024/2.jpg", "2");
        Directory.CreateDirectory(Path.Combine(_node, "archive"));

        int renamed = await RenameAsync(new MovedPath("photos/2024", "archive/2024", true));

        renamed.Should().Be(1);
        Read("archive/2024/x/1.jpg").Should().Be("1");
        Read("archive/2024/2.jpg").Should().Be("2");
        Exists("photos/2024").Should().BeFalse();
    }

    [Fact]
    public async Task Leaves_names_that_are_not_valid_utf8_to_rsync_instead_of_creating_a_mangled_name()
    {
        // "caf\xe9" as inosync carries it (surrogate-escaped); renamed through UTF-8 it would become "caf\uFFFD".
        string notUtf8 = FileNameEncoding.GetString([(byte)'c', (byte)'a', (byte)'f', 0xE9]);
        Write("plain.txt", "P");

        int renamed = await RenameAsync(new MovedPath("plain.txt", notUtf8, false), new MovedPath(notUtf8, "other.txt", false));

        renamed.Should().Be(0);
        Exists("plain.txt").Should().BeTrue("rsync moves it, with the exact bytes");
        Directory.EnumerateFileSystemEntries(_node).Select(Path.GetFileName).Should().Equal("plain.txt");
    }

    [Fact]
    public async Task Applies_a_chain_in_order()
    {
        Write("a/f", "content");

        int renamed = await RenameAsync(new MovedPath("a", "b", true), new MovedPath("b", "c", true), new MovedPath("c/f", "c/g", false));

        renamed.Should().Be(3);
        Read("c/g").Should().Be("content");
        Exists("a").Should().BeFalse();
        Exists("b").Should().BeFalse();
    }

    [Fact]
    public async Task Never_overwrites_a_file_or_merges_into_a_directory()
    {
        Write("old.txt", "old");
        Write("new.txt", "already here");
        Write("dir1/x", "x");
        Directory.CreateDirectory(Path.Combine(_node, "dir2"));

        int renamed = await RenameAsync(new MovedPath("old.txt", "new.txt", false), new MovedPath("dir1", "dir2", true));

        renamed.Should().Be(0);
        Read("old.txt").Should().Be("old");
        Read("new.txt").Should().Be("already here");
        Read("dir1/x").Should().Be("x");
        Directory.EnumerateFileSystemEntries(Path.Combine(_node, "dir2")).Should().BeEmpty();
        _log.Messages(LogEventLevel.Information).Should().Contain(m => m.Contains("the new name already exists", StringComparison.Ordinal)).And.HaveCount(2);
    }

    [Fact]
    public async Task Does_not_replace_a_dangling_symlink_at_the_new_name()
    {
        Write("f", "f");
        File.CreateSymbolicLink(Path.Combine(_node, "g"), "/nonexistent");

        (await RenameAsync(new MovedPath("f", "g", false))).Should().Be(0);

        new FileInfo(Path.Combine(_node, "g")).LinkTarget.Should().Be("/nonexistent");
    }

    [Fact]
    public async Task Leaves_a_missing_source_and_a_missing_parent_to_rsync()
    {
        Write("here", "h");

        int renamed = await RenameAsync(new MovedPath("gone", "elsewhere", false), new MovedPath("here", "no/such/dir/here", false));

        renamed.Should().Be(0);
        Read("here").Should().Be("h");
        Exists("no").Should().BeFalse("parents are never created: rsync does that with the right modes");
        _log.Messages(LogEventLevel.Debug).Should().Contain(m => m.Contains("the old name is not on the node", StringComparison.Ordinal));
        _log.Messages(LogEventLevel.Information).Should().ContainSingle(m => m.Contains("a parent directory is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Does_not_follow_a_symlinked_parent_out_of_the_tree()
    {
        string outside = Path.Combine(_scratch, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret"), "s");
        File.CreateSymbolicLink(Path.Combine(_node, "link"), outside);

        int renamed = await RenameAsync(new MovedPath("link/secret", "link/moved", false), new MovedPath("link/secret", "stolen", false));

        renamed.Should().Be(0);
        File.Exists(Path.Combine(outside, "secret")).Should().BeTrue();
        Exists("stolen").Should().BeFalse();
    }

    [Fact]
    public async Task Renames_a_symlink_itself_not_what_it_points_to()
    {
        Write("target/file", "t");
        File.CreateSymbolicLink(Path.Combine(_node, "link"), "target");

        int renamed = await RenameAsync(new MovedPath("link", "link2", false));

        renamed.Should().Be(1);
        new FileInfo(Path.Combine(_node, "link2")).LinkTarget.Should().Be("target");
        Read("target/file").Should().Be("t");
    }

    [Fact]
    public async Task Leaves_an_entry_of_the_wrong_type_to_rsync()
    {
        Write("was-a-file", "f");
        Directory.CreateDirectory(Path.Combine(_node, "was-a-dir"));

        int renamed = await RenameAsync(new MovedPath("was-a-file", "x", true), new MovedPath("was-a-dir", "y", false));

        renamed.Should().Be(0);
        Exists("was-a-file").Should().BeTrue();
        Exists("was-a-dir").Should().BeTrue();
    }

    [Theory]
    [InlineData("../escape", "x")]
    [InlineData("a", "../../escape")]
    [InlineData("/etc/passwd", "x")]
    [InlineData("a", "a/inside")]
    [InlineData("a", "a")]
    [InlineData("a//b", "c")]
    [InlineData("./a", "c")]
    [InlineData("", "c")]
    public async Task Refuses_paths_that_are_not_a_plain_rename(string from, string to)
    {
        Write("a/b", "b");

        (await RenameAsync(new MovedPath(from, to, true))).Should().Be(0);

        Read("a/b").Should().Be("b");
    }

    [Fact]
    public async Task Transfer_nodes_and_daemon_nodes_rename_nothing()
    {
        Write("a", "a");
        var transfer = LocalNode() with { Moves = MoveStrategy.Transfer };
        var daemon = new NodeConfig("h::m", NodeKind.RsyncDaemon, "h::m/x", [], 0, null, MoveStrategy.Rename, "test");

        (await _renamer.RenameAsync(transfer, [new MovedPath("a", "b", false)], CancellationToken.None)).Should().Be(0);
        (await _renamer.RenameAsync(daemon, [new MovedPath("a", "b", false)], CancellationToken.None)).Should().Be(0);

        Exists("a").Should().BeTrue();
    }

    [Fact]
    public async Task A_missing_node_directory_renames_nothing_and_says_so_once()
    {
        var node = LocalNode() with { Target = Path.Combine(_scratch, "missing") };

        (await _renamer.RenameAsync(node, [new MovedPath("a", "b", false), new MovedPath("c", "d", false)], CancellationToken.None)).Should().Be(0);

        _log.Messages(LogEventLevel.Information).Should().ContainSingle().Which.Should().Contain("node directory does not exist");
    }

    private Task<int> RenameAsync(params MovedPath[] moves) => _renamer.RenameAsync(LocalNode(), moves, CancellationToken.None);

    private NodeConfig LocalNode() => new("", NodeKind.Local, _node, [], 0, null, MoveStrategy.Rename, "test");

    private void Write(string relative, string content)
    {
        string path = Path.Combine(_node, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string Read(string relative) => File.ReadAllText(Path.Combine(_node, relative));

    private bool Exists(string relative) => (int)new FileInfo(Path.Combine(_node, relative)).Attributes != -1;
}
