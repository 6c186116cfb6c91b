using Inosync.Coalescing;
using Inosync.Filtering;
using Inosync.Tests.Support;

namespace Inosync.Tests.Coalescing;

/// <summary>
/// Shell-like sequences in one batch: the batch has the expected shape, and the node ends equal to the source
/// whether or not it renames in place first (see <see cref="ModelRunner"/> for what applying a batch does).
/// </summary>
public sealed class ChangeSetScenarioTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Create_then_delete_the_same_file_is_removed_and_modified(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t => t.Mkdir("a"));

        sync.Do(t =>
        {
            t.Write("a/f");
            t.RemoveTree("a/f");
        });
        var batch = sync.Sync(renameInPlace);

        SyncHarness.Describe(batch).Should().Equal("a: f(MR)");
        sync.NodeShouldEqualSource();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Mkdir_p_five_levels_with_files_is_one_recursive_job_for_the_top(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t => t.Mkdir("src"));

        sync.Do(t =>
        {
            t.MkdirP("src/a/b/c/d/e");
            foreach (var directory in (string[])["src/a", "src/a/b", "src/a/b/c", "src/a/b/c/d", "src/a/b/c/d/e"])
            {
                t.Write(directory + "/file");
            }
        });
        var batch = sync.Sync(renameInPlace);

        SyncHarness.Describe(batch).Should().Equal("src/a/**");
        sync.NodeShouldEqualSource();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Modifying_a_file_in_a_renamed_directory_is_absorbed_by_the_new_directory(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.MkdirP("d/x");
            t.Write("d/x/f");
        });

        sync.Do(t =>
        {
            t.Rename("d/x", "d/y");
            t.Write("d/y/f");
        });
        var batch = sync.Sync(renameInPlace);

        SyncHarness.Describe(batch).Should().Equal("d: x(R)", "d/y/**");
        batch.Moves.Should().Equal(new MovedPath("d/x", "d/y", true));
        sync.NodeShouldEqualSource();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Renaming_a_directory_there_and_back_names_both_parents(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.MkdirP("p/A");
            t.Write("p/A/f");
            t.Mkdir("q");
        });

        sync.Do(t =>
        {
            t.Rename("p/A", "q/B");
            t.Rename("q/B", "p/A");
        });
        var batch = sync.Sync(renameInPlace);

        // q/B is gone again, so it has no recursive job of its own: its Removed name covers it.
        SyncHarness.Describe(batch).Should().Equal("p: A(R)", "p/A/**", "q: B(R)");
        batch.Moves.Should().Equal(new MovedPath("p/A", "q/B", true), new MovedPath("q/B", "p/A", true));
        sync.NodeShouldEqualSource();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Deleted_subtree_becomes_one_removed_name_in_its_parent(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.MkdirP("d/x/y");
            t.Write("d/x/y/f");
            t.Write("d/x/g");
            t.Write("d/keep");
        });

        sync.Do(t => t.RemoveTree("d/x"));
        var batch = sync.Sync(renameInPlace);

        SyncHarness.Describe(batch).Should().Equal("d: x(R)");
        batch.ChangeCount.Should().Be(4);
        sync.NodeShouldEqualSource();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Moving_into_a_newly_created_directory_is_covered_by_it(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t => t.Write("x"));

        sync.Do(t =>
        {
            t.Mkdir("n");
            t.Rename("x", "n/x");
        });
        var batch = sync.Sync(renameInPlace);

        SyncHarness.Describe(batch).Should().Equal("/: x(R)", "n/**");
        batch.Moves.Should().Equal(new MovedPath("x", "n/x", false));
        sync.NodeShouldEqualSource();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rename_chain_names_every_link(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t => t.Write("a"));

        sync.Do(t =>
        {
            t.Rename("a", "b");
            t.Rename("b", "c");
        });
        var batch = sync.Sync(renameInPlace);

        SyncHarness.Describe(batch).Should().Equal("/: a(R) b(MR) c(M)");
        batch.Moves.Should().Equal(new MovedPath("a", "b", false), new MovedPath("b", "c", false));
        sync.NodeShouldEqualSource();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rm_rf_mkdir_and_write_in_one_batch_ends_equal(bool renameInPlace)
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.MkdirP("d/x/sub");
            t.Write("d/x/old");
            t.Write("d/x/sub/older");
        });

        sync.Do(t =>
        {
            t.RemoveTree("d/x");
            t.Mkdir("d/x");
            t.Write("d/x/f");
        });
        var batch = sync.Sync(renameInPlace);

        SyncHarness.Describe(batch).Should().Equal("d: x(R)", "d/x/**");
        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void Directory_created_and_removed_in_one_batch_is_only_a_removal()
    {
        var sync = new SyncHarness().Given(t => t.Mkdir("d"));

        sync.Do(t =>
        {
            t.Mkdir("d/x");
            t.Write("d/x/f");
            t.RemoveTree("d/x");
        });
        var batch = sync.Sync();

        SyncHarness.Describe(batch).Should().Equal("d: x(R)");
        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void Directory_replaced_by_a_file_ends_equal()
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.MkdirP("d/x");
            t.Write("d/x/f");
        });

        sync.Do(t =>
        {
            t.RemoveTree("d/x");
            t.Write("d/x");
        });
        var batch = sync.Sync();

        SyncHarness.Describe(batch).Should().Equal("d: x(MR)");
        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void File_replaced_by_a_directory_ends_equal()
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.Mkdir("d");
            t.Write("d/x");
        });

        sync.Do(t =>
        {
            t.RemoveTree("d/x");
            t.Mkdir("d/x");
            t.Write("d/x/f");
        });
        var batch = sync.Sync();

        SyncHarness.Describe(batch).Should().Equal("d: x(R)", "d/x/**");
        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void Directory_moved_in_from_outside_arrives_with_its_content()
    {
        var sync = new SyncHarness().Given(t => t.Mkdir("d"));

        sync.Do(t => t.MoveIn("d/in", "a", "b"));
        var batch = sync.Sync();

        SyncHarness.Describe(batch).Should().Equal("d/in/**");
        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void Changed_attributes_of_the_root_reach_the_node()
    {
        var sync = new SyncHarness().Given(t => t.Write("f"));

        sync.Do(t => t.Chmod(""));
        sync.Sync();

        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void Lost_events_are_repaired_by_the_full_sync()
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.MkdirP("a/b");
            t.Write("a/b/f");
        });

        sync.Do(t => t.LoseEvents(lost =>
        {
            lost.RemoveTree("a/b");
            lost.Write("a/new");
        }));
        var batch = sync.Sync();

        batch.FullSync.Should().BeTrue();
        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void Excluded_entries_never_reach_the_node_and_renames_across_the_boundary_end_equal()
    {
        var filter = Filters.Excluding(["*.tmp", "skip/"]);
        var sync = new SyncHarness(filter: filter).Given(t =>
        {
            t.Mkdir("d");
            t.Write("d/f");
            t.MkdirP("skip/inner");
            t.Write("skip/inner/g");
        });

        sync.Do(t =>
        {
            t.Write("d/scratch.tmp");
            t.Rename("d/f", "d/f.tmp");
            t.Rename("skip", "visible");
            t.Mkdir("skip");
            t.Write("skip/h");
        });
        var batch = sync.Sync();

        SyncHarness.Describe(batch).Should().Equal("d: f(R)", "visible/**");
        batch.Moves.Should().BeEmpty();
        sync.NodeShouldEqualSource();
    }

    [Fact]
    public void Failed_batch_put_back_still_brings_the_node_to_the_source()
    {
        var sync = new SyncHarness().Given(t =>
        {
            t.MkdirP("a/b");
            t.Write("a/b/f");
            t.Write("a/g");
        });

        sync.Do(t =>
        {
            t.Rename("a/b", "a/c");
            t.Write("a/g");
        });
        var failed = sync.Changes.Take();
        sync.Do(t =>
        {
            t.Write("a/c/new");
            t.RemoveTree("a/g");
        });
        sync.Changes.Add(failed);
        sync.Sync();

        sync.NodeShouldEqualSource();
        sync.Changes.IsEmpty.Should().BeTrue();
    }
}
