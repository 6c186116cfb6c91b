using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Syncing;
using Inosync.Transfer;

namespace Inosync.Tests.Transfer;

/// <summary>What a batch on an SFTP node lists first and then sends, decided on a real source tree and a given listing.</summary>
public sealed class LftpBatchTests : IDisposable
{
    private readonly TempTree _tree = new("inosync-lftp-batch-");

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void The_sizes_of_regular_files_are_read_from_a_long_listing_whatever_their_names_hold()
    {
        const string Listing =
            "./d/\n./d/a\n" +
            "drwxr-xr-x  root/root        4096 2026-12-05 21:18:22 ./d/\n" +
            "-rw-r--r--  root/root           3 2026-12-05 21:18:21 ./d/a\n" +
            "-rw-r--r--  root/root           1 2026-12-05 21:18:22 ./d/b 7 2003-10-11 00:00:00 ./x\n" +
            "-rw-r--r--                     12 - ./d/sub/no date\n" +
            "lrwxrwxrwx  root/root           9 2026-12-05 21:18:22 ./d/link -> /etc/shadow\n" +
            "-rw-r--r--  root/root           5 2026-12-05 21:18:22 ./other/c\n";

        RemoteListing.Sizes(Listing, "./d").Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["a"] = 3,
            ["b 7 2003-10-11 00:00:00 ./x"] = 1,
            ["sub/no date"] = 12,
        });
    }

    [Fact]
    public void An_sftp_tree_lists_sizes_too_and_sends_again_by_path_a_file_whose_size_on_the_server_differs()
    {
        // SFTP mirrors compare mtimes alone (--ignore-size); a file of the same mtime and another size (two files
        // touched to one date, one renamed over the other) must still go: found by the SFTP churn, seed 396658.
        _tree.WriteFile("d/same.txt", "12345");
        _tree.WriteFile("d/resized.txt", "1234");
        _tree.WriteFile("d/skip.swp", "1234");
        NodeConfig node = LftpSyntaxTests.FtpNode("sftp://u@h", FtpTls.Auto);
        SyncConfig sync = Mirror.CreateSync(_tree.Root, [node], ["*.swp"]);
        var batch = new SyncBatch(false, [DirectoryJob.WholeDirectory("d")], [], 1);
        string listing =
            "./d/\n./d/same.txt\n./d/resized.txt\n./d/skip.swp\n" +
            "-rw-r--r--  u/u           5 2003-10-11 00:00:00 ./d/same.txt\n" +
            "-rw-r--r--  u/u        2994 2003-10-11 00:00:00 ./d/resized.txt\n" +
            "-rw-r--r--  u/u           1 2003-10-11 00:00:00 ./d/skip.swp\n";

        LftpBatch.Listing(batch, node, sync, null).Commands.Should().EndWith(["find \"./d\" || echo -n", "find -l \"./d\" || echo -n"]);
        LftpBatch.Plan plan = LftpBatch.Create(batch, node, sync, _tree.Root + "/", null, listing, null, new HashSet<string>());

        plan.Script.Commands.Should().Contain(c => c.StartsWith("mirror -R -v --ignore-size --upload-older -e ", StringComparison.Ordinal))
            .And.Contain(c => c.StartsWith("mirror -R -v --no-symlinks --ignore-size --transfer-all -i \"^(resized\\\\.txt)$\" ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_renames_come_before_the_listing_so_that_it_shows_what_the_mirrors_will_find()
    {
        // Found by the SFTP churn (seed 396658): a directory renamed onto a listed path made the listing's sizes stale.
        Directory.CreateDirectory(_tree.PathOf("d/new"));
        NodeConfig node = LftpSyntaxTests.FtpNode("sftp://u@h", FtpTls.Auto);
        SyncConfig sync = Mirror.CreateSync(_tree.Root, [node], []);
        var batch = new SyncBatch(false, [DirectoryJob.WholeDirectory("d/new")], [new MovedPath("d/old", "d/new", true)], 2);

        LftpBatch.Listing(batch, node, sync, null).Commands.Should().ContainInOrder(
            "mv \"./d/old\" \"./d/new\" || echo -n", "find \"./d/new\" || echo -n");
        LftpBatch.Create(batch, node, sync, _tree.Root + "/", null, "", null, new HashSet<string>()).Script.Commands
            .Should().NotContain(c => c.StartsWith("mv ", StringComparison.Ordinal));
        LftpBatch.Create(batch, node, sync, _tree.Root + "/", null, null, null, new HashSet<string>()).Script.Commands
            .Should().Contain("mv \"./d/old\" \"./d/new\" || echo -n", "without a listing the batch renames itself");
    }
}
