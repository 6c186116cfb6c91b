using Inosync.Coalescing;
using Inosync.Filtering;
using Inosync.Tests.Support;
using Inosync.Watching;

namespace Inosync.Tests.Coalescing;

public sealed class ChangeSetTests
{
    private static ChangeSet NewSet(int maxNames = 1000, PathFilter? filter = null) =>
        new(new CoalescerOptions(maxNames, filter));

    private static FsChange Modified(string path, bool isDirectory = false) => new(FsChangeKind.Modified, path, isDirectory);

    private static FsChange Created(string path) => new(FsChangeKind.DirectoryCreated, path, IsDirectory: true);

    private static FsChange Deleted(string path, bool isDirectory = false) => new(FsChangeKind.Deleted, path, isDirectory);

    private static FsChange Renamed(string from, string to, bool isDirectory = false) => new(FsChangeKind.Renamed, to, isDirectory, from);

    private static FsChange Rescan(string path) => new(FsChangeKind.Rescan, path, IsDirectory: true);

    private static SyncBatch TakeAfter(ChangeSet set, params FsChange[] changes)
    {
        foreach (var change in changes)
        {
            set.Add(change);
        }

        return set.Take();
    }

    [Fact]
    public void New_set_is_empty_and_takes_the_empty_batch()
    {
        var set = NewSet();

        set.IsEmpty.Should().BeTrue();
        set.Count.Should().Be(0);
        set.Take().Should().BeSameAs(SyncBatch.Empty);
    }

    [Fact]
    public void Options_must_allow_at_least_one_name_per_directory()
    {
        var create = () => new ChangeSet(new CoalescerOptions(MaxNamesPerDirectory: 0));

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Modified_file_is_a_name_in_its_parent()
    {
        var batch = TakeAfter(NewSet(), Modified("a/b/f"), Modified("top"));

        SyncHarness.Describe(batch).Should().Equal("/: top(M)", "a/b: f(M)");
        batch.FullSync.Should().BeFalse();
        batch.Moves.Should().BeEmpty();
        batch.ChangeCount.Should().Be(2);
    }

    [Fact]
    public void Modified_directory_is_a_name_in_its_parent()
    {
        SyncHarness.Describe(TakeAfter(NewSet(), Modified("a/d", isDirectory: true))).Should().Equal("a: d(M)");
    }

    [Fact]
    public void Changed_root_is_a_job_for_the_root_without_names()
    {
        var batch = TakeAfter(NewSet(), Modified("", isDirectory: true));

        batch.Jobs.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Directory = "", Recursive = false, Names = new Dictionary<string, NameChange>() });
        batch.ChangeCount.Should().Be(1);
    }

    [Fact]
    public void Changed_root_with_names_in_the_root_is_their_job()
    {
        SyncHarness.Describe(TakeAfter(NewSet(), Modified("", isDirectory: true), Modified("f"))).Should().Equal("/: f(M)");
    }

    [Fact]
    public void Events_on_the_same_name_merge_their_flags()
    {
        var set = NewSet();

        var batch = TakeAfter(set, Modified("d/f"), Modified("d/f"), Deleted("d/f"), Modified("d/f"));

        SyncHarness.Describe(batch).Should().Equal("d: f(MR)");
        batch.ChangeCount.Should().Be(1);
    }

    [Fact]
    public void Created_directory_is_a_recursive_job_for_itself()
    {
        SyncHarness.Describe(TakeAfter(NewSet(), Created("a/new"))).Should().Equal("a/new/**");
    }

    [Fact]
    public void Deleted_entry_is_a_removed_name_in_its_parent()
    {
        SyncHarness.Describe(TakeAfter(NewSet(), Deleted("a/f"), Deleted("a/d", isDirectory: true))).Should().Equal("a: d(R) f(R)");
    }

    [Fact]
    public void Renamed_file_is_removed_in_the_old_parent_and_modified_in_the_new_one_with_a_move()
    {
        var batch = TakeAfter(NewSet(), Renamed("a/f", "b/g"));

        SyncHarness.Describe(batch).Should().Equal("a: f(R)", "b: g(M)");
        batch.Moves.Should().Equal(new MovedPath("a/f", "b/g", false));
    }

    [Fact]
    public void Renamed_directory_is_removed_in_the_old_parent_and_recursive_at_the_new_path()
    {
        var batch = TakeAfter(NewSet(), Renamed("a/d", "b/e", isDirectory: true));

        SyncHarness.Describe(batch).Should().Equal("a: d(R)", "b/e/**");
        batch.Moves.Should().Equal(new MovedPath("a/d", "b/e", true));
    }

    [Fact]
    public void Rename_without_an_old_path_is_a_creation()
    {
        var batch = TakeAfter(NewSet(), new FsChange(FsChangeKind.Renamed, "d/f"));

        SyncHarness.Describe(batch).Should().Equal("d: f(M)");
        batch.Moves.Should().BeEmpty();
    }

    [Fact]
    public void Moves_keep_their_order()
    {
        var batch = TakeAfter(NewSet(), Renamed("a", "b"), Renamed("x", "y"), Renamed("b", "c"));

        batch.Moves.Select(m => m.From + ">" + m.To).Should().Equal("a>b", "x>y", "b>c");
    }

    [Fact]
    public void Rescan_is_a_recursive_job()
    {
        SyncHarness.Describe(TakeAfter(NewSet(), Rescan("a/b"))).Should().Equal("a/b/**");
    }

    [Theory]
    [InlineData(FsChangeKind.Rescan)]
    [InlineData(FsChangeKind.DirectoryCreated)]
    [InlineData(FsChangeKind.Deleted)]
    public void Root_rescanned_created_or_deleted_is_a_full_sync(FsChangeKind kind)
    {
        var batch = TakeAfter(NewSet(), Modified("a/f"), new FsChange(kind, "", IsDirectory: true));

        batch.FullSync.Should().BeTrue();
        batch.Jobs.Should().BeEmpty();
    }

    [Fact]
    public void Overflow_absorbs_everything_pending_into_one_full_sync()
    {
        var set = NewSet();

        var batch = TakeAfter(set, Modified("a/f"), Renamed("x", "y"), FsChange.Overflow, Created("d"), FsChange.Overflow);

        batch.FullSync.Should().BeTrue();
        batch.Jobs.Should().BeEmpty();
        batch.Moves.Should().BeEmpty();
        batch.ChangeCount.Should().Be(1 + 4, "the full sync plus a/f, x, y and d");
        set.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Repeated_full_sync_requests_merge_into_one()
    {
        var set = NewSet();

        set.RequestFullSync();
        set.RequestFullSync();
        set.Add(FsChange.Overflow);

        set.Count.Should().Be(1);
        set.Take().Should().BeEquivalentTo(new SyncBatch(true, [], [], 1));
        set.Take().Should().BeSameAs(SyncBatch.Empty);
    }

    [Fact]
    public void Take_leaves_the_set_empty()
    {
        var set = NewSet();
        set.Add(Modified("f"));
        set.Add(Renamed("a", "b"));

        set.Take();

        set.IsEmpty.Should().BeTrue();
        set.Count.Should().Be(0);
        set.Take().Should().BeSameAs(SyncBatch.Empty);
    }

    [Fact]
    public void Jobs_are_sorted_by_directory_ordinal()
    {
        var batch = TakeAfter(NewSet(), Modified("b/f"), Modified("a/b/f"), Modified("a-b/f"), Modified("a/f"), Modified("B/f"), Modified("f"));

        batch.Jobs.Select(j => j.Directory).Should().Equal("", "B", "a", "a-b", "a/b", "b");
    }

    [Fact]
    public void Everything_below_a_recursive_directory_is_absorbed()
    {
        var set = NewSet();

        var batch = TakeAfter(set, Modified("a/b/c/f"), Created("a/b/c/d"), Deleted("a/b/g"), Rescan("a/b"), Modified("a/b/h"), Modified("a/x"));

        SyncHarness.Describe(batch).Should().Equal("a: x(M)", "a/b/**");
        batch.ChangeCount.Should().Be(4, "a/b/c/f, a/b/c/d, a/b (its names g and h absorbed when it became recursive) and a/x");
    }

    [Fact]
    public void Recursive_directory_absorbs_a_modified_name_for_itself()
    {
        var batch = TakeAfter(NewSet(), Created("a/d"), Modified("a/d", isDirectory: true));

        SyncHarness.Describe(batch).Should().Equal("a/d/**");
    }

    [Fact]
    public void Removed_name_is_kept_beside_a_recursive_job_for_the_same_path()
    {
        // rm -rf d/x; mkdir d/x; echo > d/x/f: the recursive job syncs the new d/x, the Removed name is what
        // deletes d/x on the node should it be gone again by the time the batch runs.
        var batch = TakeAfter(NewSet(), Deleted("d/x/old"), Deleted("d/x", isDirectory: true), Created("d/x"), Modified("d/x/f"));

        SyncHarness.Describe(batch).Should().Equal("d: x(R)", "d/x/**");
    }

    [Fact]
    public void Deleting_a_path_drops_its_own_recursive_job()
    {
        // mkdir d/x; ...; rm -rf d/x: nothing is left to sync at d/x, the Removed name deletes it.
        var batch = TakeAfter(NewSet(), Created("d/x"), Modified("d/x/f"), Deleted("d/x/f"), Deleted("d/x", isDirectory: true));

        SyncHarness.Describe(batch).Should().Equal("d: x(R)");
    }

    [Fact]
    public void Deleted_subtree_becomes_removed_names_in_parent()
    {
        // rm -rf d/x reports bottom-up: d/x/y/f, d/x/y, d/x/g, d/x. Only the top removal is needed.
        var set = NewSet();

        var batch = TakeAfter(set, Deleted("d/x/y/f"), Deleted("d/x/y", isDirectory: true), Deleted("d/x/g"), Deleted("d/x", isDirectory: true));

        SyncHarness.Describe(batch).Should().Equal("d: x(R)");
        batch.ChangeCount.Should().Be(4);
    }

    [Fact]
    public void Directory_replaced_by_a_file_drops_what_was_below_it()
    {
        var batch = TakeAfter(NewSet(), Modified("d/x/f"), Deleted("d/x/f"), Deleted("d/x", isDirectory: true), Modified("d/x"));

        SyncHarness.Describe(batch).Should().Equal("d: x(MR)");
    }

    [Fact]
    public void Too_many_names_in_one_directory_collapse_to_a_recursive_job()
    {
        var set = NewSet(maxNames: 3);

        var batch = TakeAfter(set, Modified("d/a"), Modified("d/b"), Deleted("d/c"), Modified("d/a"), Modified("e/a"), Modified("d/d"), Modified("d/e"));

        SyncHarness.Describe(batch).Should().Equal("d/**", "e: a(M)");
        batch.ChangeCount.Should().Be(2);
    }

    [Fact]
    public void Exactly_the_maximum_of_names_stays_named()
    {
        SyncHarness.Describe(TakeAfter(NewSet(maxNames: 2), Modified("d/a"), Modified("d/b"))).Should().Equal("d: a(M) b(M)");
    }

    [Fact]
    public void Too_many_names_in_the_root_is_a_full_sync()
    {
        TakeAfter(NewSet(maxNames: 2), Modified("a"), Modified("b"), Modified("c")).FullSync.Should().BeTrue();
    }

    [Fact]
    public void Excluded_paths_vanish()
    {
        var filter = Filters.Excluding(["*.tmp", "skip/"]);
        var set = NewSet(filter: filter);

        var batch = TakeAfter(
            set,
            Modified("a/x.tmp"),
            Created("a/skip"),
            Modified("a/skip/f"),
            Deleted("a/skip/g"),
            Rescan("skip/deeper"),
            Modified("a/skip", isDirectory: true),
            Modified("a/keep"));

        SyncHarness.Describe(batch).Should().Equal("a: keep(M)");
    }

    [Fact]
    public void Anything_below_an_excluded_directory_is_excluded()
    {
        // A rule for directories only: the file below it is excluded because its directory is.
        var set = NewSet(filter: Filters.Excluding(["*skip/"]));

        SyncHarness.Describe(TakeAfter(set, Modified("a/skip/f"), Modified("a/f"))).Should().Equal("a: f(M)");
    }

    [Fact]
    public void Rename_to_an_excluded_destination_is_a_removal()
    {
        var set = NewSet(filter: Filters.Excluding(["*.tmp"]));

        var batch = TakeAfter(set, Renamed("d/f", "d/f.tmp"));

        SyncHarness.Describe(batch).Should().Equal("d: f(R)");
        batch.Moves.Should().BeEmpty();
    }

    [Fact]
    public void A_directory_moves_on_the_node_only_when_the_rules_cannot_tell_its_new_place_from_its_old()
    {
        // "- /a/*.bin" excludes b/x.bin once b is renamed to a: moved on the node, x.bin would stay there, protected.
        var byPath = TakeAfter(NewSet(filter: Filters.Excluding(["/a/*.bin"])), Renamed("b", "a", isDirectory: true));
        var byName = TakeAfter(NewSet(filter: Filters.Excluding(["*.bin"])), Renamed("b", "a", isDirectory: true));
        var file = TakeAfter(NewSet(filter: Filters.Excluding(["/a/*.bin"])), Renamed("b/f", "a/f"));

        byPath.Moves.Should().BeEmpty();
        SyncHarness.Describe(byPath).Should().Equal("/: b(R)", "a/**");
        byName.Moves.Should().Equal(new MovedPath("b", "a", true));
        file.Moves.Should().Equal(new MovedPath("b/f", "a/f", false));
    }

    [Fact]
    public void Rename_from_an_excluded_source_is_a_creation()
    {
        var set = NewSet(filter: Filters.Excluding(["*.tmp", "skip/"]));

        var batch = TakeAfter(set, Renamed("d/f.tmp", "d/f"), Renamed("skip", "kept", isDirectory: true));

        SyncHarness.Describe(batch).Should().Equal("d: f(M)", "kept/**");
        batch.Moves.Should().BeEmpty();
    }

    [Fact]
    public void Failed_batch_merges_back_with_newer_changes()
    {
        var set = NewSet();
        var failed = TakeAfter(set, Modified("a/f"), Renamed("a/x", "a/y"), Created("n"), Deleted("a/g"));

        set.Add(Modified("a/f"));
        set.Add(Deleted("a/h"));
        set.Add(Renamed("a/y", "a/z"));
        set.Add(failed);
        var batch = set.Take();

        SyncHarness.Describe(batch).Should().Equal("a: f(M) g(R) h(R) x(R) y(MR) z(M)", "n/**");
        batch.Moves.Select(m => m.From + ">" + m.To).Should().Equal("a/x>a/y", "a/y>a/z");
    }

    [Fact]
    public void Failed_batch_with_a_changed_root_merges_back()
    {
        var set = NewSet();
        var failed = TakeAfter(set, Modified("", isDirectory: true));

        set.Add(failed);

        set.Take().Should().BeEquivalentTo(failed);
    }

    [Fact]
    public void Failed_full_sync_stays_a_full_sync()
    {
        var set = NewSet();
        var failed = TakeAfter(set, FsChange.Overflow);

        set.Add(Modified("a/f"));
        set.Add(failed);
        var batch = set.Take();

        batch.FullSync.Should().BeTrue();
        batch.Jobs.Should().BeEmpty();
    }

    [Fact]
    public void Failed_batch_merged_into_an_empty_set_comes_back_unchanged()
    {
        var set = NewSet();
        var failed = TakeAfter(set, Modified("a/f"), Deleted("a/g"), Renamed("b/d", "c/d", isDirectory: true), Created("e"));

        set.Add(failed);

        set.Take().Should().BeEquivalentTo(failed);
    }

    [Fact]
    public void Repeating_a_pending_change_allocates_nothing()
    {
        var set = NewSet();
        var change = Modified("a/b/c/f");
        set.Add(change);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            set.Add(change);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        set.Count.Should().Be(1);
    }

    [Fact]
    public void A_large_backlog_keeps_its_shape()
    {
        // 100,000 changes over 1,000 directories at three depths: counts, not timing.
        var set = NewSet();
        for (var i = 0; i < 100_000; i++)
        {
            var directory = $"top{i % 10}/mid{i % 100}/leaf{i % 1000}";
            set.Add(Modified($"{directory}/file{i}"));
        }

        set.Count.Should().Be(100_000);
        var batch = set.Take();

        batch.ChangeCount.Should().Be(100_000);
        batch.Jobs.Should().HaveCount(1_000).And.OnlyContain(j => !j.Recursive && j.Names.Count == 100);
        batch.Jobs.Select(j => j.Directory).Should().BeInAscendingOrder(StringComparer.Ordinal);
        set.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void A_large_backlog_collapses_and_absorbs()
    {
        // The same 100,000 changes with at most 50 names per directory, plus every top directory rescanned.
        var set = NewSet(maxNames: 50);
        for (var i = 0; i < 100_000; i++)
        {
            set.Add(Modified($"top{i % 10}/mid{i % 100}/leaf{i % 1000}/file{i}"));
        }

        set.Count.Should().Be(1_000, "each leaf collapsed to one recursive job");
        for (var i = 0; i < 5; i++)
        {
            set.Add(Rescan($"top{i}"));
        }

        var batch = set.Take();

        batch.ChangeCount.Should().Be(1_005);
        batch.Jobs.Should().HaveCount(5 + 500);
        batch.Jobs.Count(j => j.Directory.Contains('/', StringComparison.Ordinal)).Should().Be(500, "the leaves below the rescanned tops are absorbed");
        batch.Jobs.Should().OnlyContain(j => j.Recursive);
    }
}
