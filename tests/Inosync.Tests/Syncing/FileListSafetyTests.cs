using Inosync.Coalescing;
using Inosync.Rsync;
using Inosync.Testing;

namespace Inosync.Tests.Syncing;

/// <summary>A file list is allowed only where nobody but inosync's own user can rename a directory on the way.</summary>
public sealed class FileListSafetyTests : IDisposable
{
    private readonly TempTree _tree = new("inosync-filelist-");

    public FileListSafetyTests()
    {
        File.SetUnixFileMode(_tree.Root, (UnixFileMode)0x1ED); // 0755
        _tree.CreateDirectory("a/b");
    }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void A_tree_only_we_can_write_allows_a_file_list() =>
        FileListSafety.Allows(Written("a/b"), _tree.Root).Should().BeTrue();

    [Fact]
    public void A_group_or_world_writable_directory_on_the_way_forbids_it()
    {
        File.SetUnixFileMode(_tree.PathOf("a"), (UnixFileMode)0x1FD); // 0775
        _tree.CreateDirectory("elsewhere");

        FileListSafety.Allows(Written("a/b"), _tree.Root).Should().BeFalse();
        FileListSafety.Allows(Written("elsewhere"), _tree.Root).Should().BeTrue("only the directories a listed name hangs from count");
    }

    [Fact]
    public void A_writable_watched_root_forbids_it()
    {
        File.SetUnixFileMode(_tree.Root, (UnixFileMode)0x3FF); // 1777, like /tmp

        FileListSafety.Allows(Written("a/b"), _tree.Root).Should().BeFalse();
    }

    [Fact]
    public void A_directory_of_another_user_forbids_it()
    {
        if (Environment.UserName != "root")
        {
            return; // Only root can give a directory away; CI runs as root.
        }

        File.SetUnixFileMode(_tree.PathOf("a/b"), (UnixFileMode)0x1ED);
        Chown(_tree.PathOf("a/b"), 65534);

        FileListSafety.Allows(Written("a/b"), _tree.Root).Should().BeFalse();
    }

    [Fact]
    public void A_symlink_on_the_way_forbids_it()
    {
        Directory.CreateSymbolicLink(_tree.PathOf("link"), _tree.PathOf("a"));

        FileListSafety.Allows(Written("link/b"), _tree.Root).Should().BeFalse();
    }

    private static SyncBatch Written(string directory) =>
        new(false, [new DirectoryJob(directory, false, new Dictionary<string, NameChange> { ["f"] = NameChange.Modified })], [], 1);

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        chown.WaitForExit();
        chown.ExitCode.Should().Be(0);
    }
}
