using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Threading.Channels;
using Inosync.Filtering;
using Inosync.Testing;
using Inosync.Testing.RawFiles;
using Inosync.Tests.Support;
using Inosync.Watching;
using Serilog.Events;

namespace Inosync.Tests.Watching;

// One collection for every watcher test: they run one after another, so the idle-CPU measurement and the kernel-queue
// overflow are not disturbed by the other watchers' threads.
[Collection("Watching")]
[SupportedOSPlatform("linux")]
public sealed class InotifyWatcherTests : IDisposable
{
    private readonly TempTree _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Root => _temp.Root;

    private string At(string relative) => _temp.PathOf(relative);

    [Fact]
    public async Task Files_created_written_and_deleted_are_reported()
    {
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);
        recorder.InitialWatchCount.Should().Be(1);

        await File.WriteAllTextAsync(At("a.txt"), "one");
        (await recorder.WaitForAsync(FsChangeKind.Modified, "a.txt")).IsDirectory.Should().BeFalse();

        await File.AppendAllTextAsync(At("a.txt"), "two");
        await recorder.WaitForAsync(FsChangeKind.Modified, "a.txt");

        File.Delete(At("a.txt"));
        (await recorder.WaitForAsync(FsChangeKind.Deleted, "a.txt")).IsDirectory.Should().BeFalse();
    }

    [Fact]
    public async Task Attribute_change_is_reported_as_modified()
    {
        await File.WriteAllTextAsync(At("a.txt"), "one");
        Directory.CreateDirectory(At("d"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        File.SetUnixFileMode(At("a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await recorder.WaitForAsync(FsChangeKind.Modified, "a.txt");

        File.SetUnixFileMode(At("d"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (await recorder.WaitForAsync(FsChangeKind.Modified, "d")).IsDirectory.Should().BeTrue();
    }

    [Fact]
    public async Task Changes_without_a_closed_write_are_reported_once_they_settle()
    {
        // The kernel reports these as IN_MODIFY only, never IN_CLOSE_WRITE or IN_ATTRIB (the churn test found the
        // first one: a node kept an old mtime for good).
        await File.WriteAllTextAsync(At("touched"), "t");
        await File.WriteAllTextAsync(At("truncated"), "truncate me");
        await File.WriteAllTextAsync(At("log"), "");
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        RawFileSystem.SetModificationTime(At("touched"), 1_000_000_000, 0); // touch -m without opening the file
        await recorder.WaitForAsync(FsChangeKind.Modified, "touched");

        RawFileSystem.TruncatePath(At("truncated"), 3); // truncate(2) by path
        await recorder.WaitForAsync(FsChangeKind.Modified, "truncated");

        // A writer that keeps its descriptor: reported when it pauses, not once per write.
        using (var log = new FileStream(At("log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1))
        {
            for (int i = 0; i < 20; i++)
            {
                log.Write("line\n"u8);
                log.Flush();
            }

            (await recorder.WaitForAsync(FsChangeKind.Modified, "log")).IsDirectory.Should().BeFalse();
            recorder.Seen.Count(c => c.Path == "log").Should().Be(1);
        }

        await recorder.ChangesUntilSentinelAsync();
    }

    [Fact]
    public async Task Existing_tree_is_watched_at_startup()
    {
        Directory.CreateDirectory(At("a/b/c"));
        Directory.CreateDirectory(At(".hidden/x"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        recorder.InitialWatchCount.Should().Be(6);
        recorder.Watcher.WatchCount.Should().Be(6);

        await File.WriteAllTextAsync(At(".hidden/x/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, ".hidden/x/f");
    }

    [Fact]
    public async Task Paths_longer_than_the_stack_buffer_are_watched_at_startup_and_at_runtime()
    {
        // The walk builds full paths on the stack up to 1 KiB and on the heap beyond (names with 3-byte characters).
        string level = new string('é', 60) + "ü"; // 61 chars, 122 UTF-8 bytes
        string deep = string.Join('/', Enumerable.Repeat(level, 12));
        Directory.CreateDirectory(At(deep));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        recorder.InitialWatchCount.Should().Be(13);
        await File.WriteAllTextAsync(At($"{deep}/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, $"{deep}/f");

        Directory.CreateDirectory(At($"{deep}/{level}/{level}"));
        await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, $"{deep}/{level}");
        await ChangeRecorder.EventuallyAsync(() => recorder.Watcher.WatchCount == 15, "both new levels watched");
    }

    [Fact]
    public async Task Mkdir_p_with_an_immediate_write_reports_the_top_directory_and_watches_every_level()
    {
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        Directory.CreateDirectory(At("a/b/c/d/e"));
        await File.WriteAllTextAsync(At("a/b/c/d/e/f"), "x");

        FsChange created = await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, "a");
        created.IsDirectory.Should().BeTrue();
        await ChangeRecorder.EventuallyAsync(() => recorder.Watcher.WatchCount == 6, "root + 5 levels watched");

        await File.WriteAllTextAsync(At("a/b/c/d/e/g"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "a/b/c/d/e/g");
    }

    [Fact]
    public async Task Renamed_file_is_reported_with_both_paths()
    {
        await File.WriteAllTextAsync(At("old.txt"), "x");
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        File.Move(At("old.txt"), At("new.txt"));

        FsChange renamed = await recorder.WaitForAsync(FsChangeKind.Renamed, "new.txt");
        renamed.OldPath.Should().Be("old.txt");
        renamed.IsDirectory.Should().BeFalse();
    }

    [Fact]
    public async Task Renamed_directory_keeps_being_watched_under_its_new_path()
    {
        Directory.CreateDirectory(At("d1/sub"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);
        int watches = recorder.Watcher.WatchCount;

        Directory.Move(At("d1"), At("d2"));
        FsChange renamed = await recorder.WaitForAsync(FsChangeKind.Renamed, "d2");
        renamed.OldPath.Should().Be("d1");
        renamed.IsDirectory.Should().BeTrue();

        await File.WriteAllTextAsync(At("d2/x"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "d2/x");
        await File.WriteAllTextAsync(At("d2/sub/y"), "y");
        await recorder.WaitForAsync(FsChangeKind.Modified, "d2/sub/y");
        recorder.Watcher.WatchCount.Should().Be(watches);
    }

    [Fact]
    public async Task Directory_moved_into_another_subtree_and_back_keeps_being_watched()
    {
        Directory.CreateDirectory(At("x/d/inner"));
        Directory.CreateDirectory(At("y"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);
        int watches = recorder.Watcher.WatchCount;

        Directory.Move(At("x/d"), At("y/d"));
        (await recorder.WaitForAsync(FsChangeKind.Renamed, "y/d")).OldPath.Should().Be("x/d");
        await File.WriteAllTextAsync(At("y/d/inner/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "y/d/inner/f");

        Directory.Move(At("y/d"), At("x/d"));
        (await recorder.WaitForAsync(FsChangeKind.Renamed, "x/d")).OldPath.Should().Be("y/d");
        await File.WriteAllTextAsync(At("x/d/inner/g"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "x/d/inner/g");
        recorder.Watcher.WatchCount.Should().Be(watches);
    }

    [Fact]
    public async Task Directory_moved_out_of_the_tree_is_deleted_and_no_longer_watched()
    {
        using var outside = new TempTree();
        Directory.CreateDirectory(At("tree"));
        Directory.CreateDirectory(At("d/sub"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(At("tree"));
        Directory.Move(At("d"), At("tree/d"));
        await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, "d");
        await ChangeRecorder.EventuallyAsync(() => recorder.Watcher.WatchCount == 3, "tree, d and d/sub watched");

        Directory.Move(At("tree/d"), outside.PathOf("d"));

        (await recorder.WaitForAsync(FsChangeKind.Deleted, "d")).IsDirectory.Should().BeTrue();
        recorder.Watcher.WatchCount.Should().Be(1);
        await File.WriteAllTextAsync(outside.PathOf("d/sub/f"), "x");
        (await recorder.ChangesUntilSentinelAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Directory_moved_in_from_outside_is_created_and_watched()
    {
        using var outside = new TempTree();
        Directory.CreateDirectory(outside.PathOf("d/sub/deeper"));
        await File.WriteAllTextAsync(outside.PathOf("d/sub/existing"), "x");
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        Directory.Move(outside.PathOf("d"), At("d"));

        (await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, "d")).IsDirectory.Should().BeTrue();
        recorder.Watcher.WatchCount.Should().Be(4);
        await File.WriteAllTextAsync(At("d/sub/deeper/new"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "d/sub/deeper/new");
    }

    [Fact]
    public async Task File_moved_in_from_outside_is_modified_and_moved_out_is_deleted()
    {
        using var outside = new TempTree();
        await File.WriteAllTextAsync(outside.PathOf("f"), "x");
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);

        File.Move(outside.PathOf("f"), At("f"));
        await recorder.WaitForAsync(FsChangeKind.Modified, "f");

        File.Move(At("f"), outside.PathOf("g"));
        await recorder.WaitForAsync(FsChangeKind.Deleted, "f");
    }

    [Fact]
    public async Task Excluded_directories_are_not_watched_and_not_reported()
    {
        Directory.CreateDirectory(At("src/node_modules/pkg"));
        Directory.CreateDirectory(At("cache"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, Filters.Excluding(["/cache", "node_modules", "*.tmp"]));

        recorder.InitialWatchCount.Should().Be(2); // root and src

        await File.WriteAllTextAsync(At("src/node_modules/pkg/f"), "x");
        await File.WriteAllTextAsync(At("cache/f"), "x");
        await File.WriteAllTextAsync(At("src/scratch.tmp"), "x");
        Directory.CreateDirectory(At("src/node_modules/other"));
        Directory.CreateDirectory(At("lib/node_modules/x"));
        (await recorder.ChangesUntilSentinelAsync()).Should().BeEquivalentTo([new FsChange(FsChangeKind.DirectoryCreated, "lib", true)]);
        recorder.Watcher.WatchCount.Should().Be(3); // root, src, lib
    }

    [Fact]
    public async Task Include_rules_watch_exactly_the_directories_rsync_would_descend_into()
    {
        Directory.CreateDirectory(At("src/lib/build"));
        Directory.CreateDirectory(At("other/deep"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(
            Root, new PathFilter(Filters.Rules(["+ /sentinel-*", "- /src/*/build/", "+ /src/***", "+ *.txt", "- *"])));

        recorder.InitialWatchCount.Should().Be(3); // root, src, src/lib

        await File.WriteAllTextAsync(At("other/deep/f"), "x");
        await File.WriteAllTextAsync(At("src/lib/build/f"), "x");
        await File.WriteAllTextAsync(At("top.bin"), "x");
        await File.WriteAllTextAsync(At("top.txt"), "x");
        await File.WriteAllTextAsync(At("src/lib/a.bin"), "x");
        Directory.CreateDirectory(At("src/new/build"));
        (await recorder.ChangesUntilSentinelAsync()).Distinct().Should().BeEquivalentTo(
        [
            new FsChange(FsChangeKind.Modified, "top.txt", false),
            new FsChange(FsChangeKind.Modified, "src/lib/a.bin", false),
            new FsChange(FsChangeKind.DirectoryCreated, "src/new", true),
        ]);
        recorder.Watcher.WatchCount.Should().Be(4); // and src/new, not src/new/build
    }

    [Fact]
    public async Task Exclusions_that_depend_on_the_path_are_re_evaluated_when_an_ancestor_is_renamed()
    {
        Directory.CreateDirectory(At("a/cache/x"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, Filters.Excluding(["/a/cache"]));
        recorder.InitialWatchCount.Should().Be(2); // root and a

        Directory.Move(At("a"), At("b"));
        await recorder.WaitForAsync(FsChangeKind.Renamed, "b");
        recorder.Watcher.WatchCount.Should().Be(4); // b/cache and b/cache/x are no longer excluded
        await File.WriteAllTextAsync(At("b/cache/x/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "b/cache/x/f");

        Directory.Move(At("b"), At("a"));
        await recorder.WaitForAsync(FsChangeKind.Renamed, "a");
        recorder.Watcher.WatchCount.Should().Be(2);
        await File.WriteAllTextAsync(At("a/cache/x/g"), "x");
        (await recorder.ChangesUntilSentinelAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Rename_to_an_excluded_name_is_a_deletion_and_from_one_is_an_arrival()
    {
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, Filters.Excluding(["*.tmp"]));

        await File.WriteAllTextAsync(At("save.tmp"), "x");
        File.Move(At("save.tmp"), At("save.txt"));
        await recorder.WaitForAsync(FsChangeKind.Modified, "save.txt");

        File.Move(At("save.txt"), At("old.tmp"));
        await recorder.WaitForAsync(FsChangeKind.Deleted, "save.txt");

        Directory.CreateDirectory(At("d/sub"));
        await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, "d");
        Directory.Move(At("d"), At("d.tmp"));
        await recorder.WaitForAsync(FsChangeKind.Deleted, "d");
        await ChangeRecorder.EventuallyAsync(() => recorder.Watcher.WatchCount == 1, "only the root watched");

        Directory.Move(At("d.tmp"), At("e"));
        await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, "e");
        await File.WriteAllTextAsync(At("e/sub/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "e/sub/f");
        (await recorder.ChangesUntilSentinelAsync()).Should().NotContain(c => c.Path.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Symlink_to_a_directory_is_an_entry_and_is_not_followed()
    {
        using var outside = new TempTree();
        Directory.CreateDirectory(outside.PathOf("target/sub"));
        Directory.CreateSymbolicLink(At("existing-link"), outside.Root);
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);
        recorder.InitialWatchCount.Should().Be(1);

        Directory.CreateSymbolicLink(At("link"), outside.PathOf("target"));
        FsChange created = await recorder.WaitForAsync(c => c.Path == "link", "change of link");
        created.Should().Be(new FsChange(FsChangeKind.Modified, "link"));

        await File.WriteAllTextAsync(outside.PathOf("target/sub/f"), "x");
        await File.WriteAllTextAsync(outside.PathOf("target/g"), "x");
        (await recorder.ChangesUntilSentinelAsync()).Should().NotContain(c => c.Path.StartsWith("link/", StringComparison.Ordinal));
        recorder.Watcher.WatchCount.Should().Be(1);
    }

    [Fact]
    public async Task Names_that_are_not_utf8_are_reported_exactly_and_such_directories_are_watched()
    {
        // Raw bytes (C# "\xNN" would be a character): Latin-1 and other bytes that are not valid UTF-8.
        string old = FileNameEncoding.GetString([.. "old"u8, 0xFE]);
        string file = FileNameEncoding.GetString([.. "bad"u8, 0xFF, .. "name"u8]);
        string directory = FileNameEncoding.GetString([.. "caf"u8, 0xE9]);
        string sub = At("sub");
        Directory.CreateDirectory(sub);
        RawFileSystem.CreateDirectory($"{sub}/{old}");
        try
        {
            await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);
            recorder.InitialWatchCount.Should().Be(3, "the directory with such a name is watched at startup too");

            RawFileSystem.WriteFile($"{sub}/{file}", "x"u8);
            await recorder.WaitForAsync(FsChangeKind.Modified, $"sub/{file}");

            RawFileSystem.CreateDirectory($"{sub}/{directory}");
            await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, $"sub/{directory}");
            RawFileSystem.WriteFile($"{sub}/{directory}/inner", "x"u8);
            await recorder.WaitForAsync(FsChangeKind.Modified, $"sub/{directory}/inner");
            RawFileSystem.WriteFile($"{sub}/{old}/f", "x"u8);
            await recorder.WaitForAsync(FsChangeKind.Modified, $"sub/{old}/f");

            RawFileSystem.Rename($"{sub}/{directory}", $"{sub}/{directory}{old}");
            await recorder.WaitForAsync(c => c.Kind == FsChangeKind.Renamed && c.Path == $"sub/{directory}{old}" && c.OldPath == $"sub/{directory}", "the rename");
            RawFileSystem.WriteFile($"{sub}/{directory}{old}/after", "x"u8);
            await recorder.WaitForAsync(FsChangeKind.Modified, $"sub/{directory}{old}/after");

            recorder.Seen.Should().NotContain(c => c.Kind == FsChangeKind.Rescan, "nothing needs a rescan: every name is exact");
            recorder.Logs.Events.Should().NotContain(e => e.Level >= LogEventLevel.Warning);
        }
        finally
        {
            RawFileSystem.DeleteTree(sub);
        }
    }

    [Fact]
    public async Task A_directory_created_just_before_its_parent_moved_is_watched_under_the_new_path()
    {
        // The churn test lost every later change inside such a directory (seed 1000: mkdir n9/n5/n4/n9/-dash, then
        // n9/n5/n4/n9 moved back to n10/sub/n9 in the same burst). When the reader handles the mkdir, the path it names
        // is gone; nothing about the directory itself follows, only the ancestor's move.
        bool stalled = true;
        Directory.CreateDirectory(At("a/p"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(
            Root,
            inotify: () => new ControlledInotify(stalled: () => Volatile.Read(ref stalled)));

        Directory.CreateDirectory(At("a/p/new/deeper"));
        Directory.Move(At("a/p"), At("b"));
        Volatile.Write(ref stalled, false);
        await recorder.WaitForAsync(c => c.Kind == FsChangeKind.Renamed && c.Path == "b" && c.OldPath == "a/p", "the move of a/p");

        await File.WriteAllTextAsync(At("b/new/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "b/new/f");
        await File.WriteAllTextAsync(At("b/new/deeper/g"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "b/new/deeper/g");
        recorder.Watcher.WatchCount.Should().Be(5); // root, a, b, b/new, b/new/deeper
    }

    [Fact]
    public async Task A_directory_renamed_and_replaced_by_a_new_one_before_the_reader_catches_up_stays_watched()
    {
        // The churn test lost every later change inside such a directory (seed 901543, behind a full channel: mkdir n6;
        // mv n6 'q?'; mkdir n6). The reader handles the first mkdir when n6 is already the second directory, so the
        // watch it adds belongs to that one; the move then carried that watch to 'q?', and the real 'q?' went unwatched.
        bool stalled = true;
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(
            Root,
            inotify: () => new ControlledInotify(stalled: () => Volatile.Read(ref stalled)));

        Directory.CreateDirectory(At("n6/inner"));
        Directory.Move(At("n6"), At("q?"));
        Directory.CreateDirectory(At("n6"));
        Volatile.Write(ref stalled, false);
        await recorder.WaitForAsync(c => c.Kind == FsChangeKind.Renamed && c.Path == "q?" && c.OldPath == "n6", "the move of n6");
        await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, "n6"); // the second one, after the move

        await File.WriteAllTextAsync(At("q?/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "q?/f");
        await File.WriteAllTextAsync(At("q?/inner/g"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "q?/inner/g");
        await File.WriteAllTextAsync(At("n6/h"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "n6/h");
        recorder.Watcher.WatchCount.Should().Be(4); // root, q?, q?/inner, n6
    }

    [Fact]
    public async Task Kernel_queue_overflow_is_reported_and_watching_continues()
    {
        int maxQueued = int.Parse(File.ReadAllText("/proc/sys/fs/inotify/max_queued_events").Trim(), CultureInfo.InvariantCulture);
        bool stalled = true;
        Directory.CreateDirectory(At("many"));
        Directory.CreateDirectory(At("gone/sub"));
        Directory.CreateDirectory(At("old/inner"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(
            Root,
            inotify: () => new ControlledInotify(stalled: () => Volatile.Read(ref stalled)));

        // Each open-for-write + close queues one IN_CLOSE_WRITE; alternating two files keeps the kernel from merging
        // identical consecutive events. 2000 more than the queue holds.
        await File.WriteAllTextAsync(At("many/a"), "a");
        await File.WriteAllTextAsync(At("many/b"), "b");
        for (int i = 0; i < maxQueued + 2000; i++)
        {
            using (File.OpenHandle(At(i % 2 == 0 ? "many/a" : "many/b"), FileMode.Open, FileAccess.Write))
            {
            }
        }

        // The queue is full: these directory changes are lost, and only the re-scan after the overflow can catch up.
        Directory.Delete(At("gone"), recursive: true);
        Directory.CreateDirectory(At("fresh/sub"));
        Directory.Move(At("old"), At("moved"));
        Volatile.Write(ref stalled, false);

        await recorder.WaitForAsync(c => c.Kind == FsChangeKind.Overflow, "Overflow", TimeSpan.FromSeconds(30));
        recorder.Logs.Events.Should().Contain(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("overflowed", StringComparison.Ordinal));
        recorder.Watcher.WatchCount.Should().Be(6); // root, many, fresh, fresh/sub, moved, moved/inner

        await File.WriteAllTextAsync(At("many/after"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "many/after");
        await File.WriteAllTextAsync(At("fresh/sub/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "fresh/sub/f");
        await File.WriteAllTextAsync(At("moved/inner/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "moved/inner/f");
    }

    [Fact]
    public async Task Watch_limit_at_startup_names_the_sysctl_its_value_and_the_directory_count()
    {
        Directory.CreateDirectory(At("a/d"));
        Directory.CreateDirectory(At("b"));
        Directory.CreateDirectory(At("c"));
        Directory.CreateDirectory(At("excluded/x"));
        string current = File.ReadAllText("/proc/sys/fs/inotify/max_user_watches").Trim();

        Func<Task> start = () => ChangeRecorder.StartAsync(
            Root,
            filter: Filters.Excluding(["/excluded"]),
            inotify: () => new ControlledInotify(maxWatches: 3));

        (await start.Should().ThrowAsync<WatchLimitException>())
            .Which.Message.Should()
            .Contain($"fs.inotify.max_user_watches is {current}")
            .And.Contain("5 directories")
            .And.Contain("sudo sysctl fs.inotify.max_user_watches=")
            .And.Contain("/etc/sysctl.d/");
    }

    [Fact]
    public async Task Watch_limit_at_runtime_rescans_the_directory_on_every_event_next_to_it()
    {
        Directory.CreateDirectory(At("sub"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, inotify: () => new ControlledInotify(maxWatches: 2));

        Directory.CreateDirectory(At("new/inner"));
        (await recorder.WaitForAsync(FsChangeKind.Rescan, "new")).IsDirectory.Should().BeTrue();
        recorder.Watcher.WatchCount.Should().Be(2);

        await File.WriteAllTextAsync(At("new/inner/f"), "x"); // not seen: new is not watched ...
        await File.WriteAllTextAsync(At("g"), "x");           // ... but any change next to it rescans it again
        await recorder.WaitForAsync(FsChangeKind.Modified, "g");
        await recorder.WaitForAsync(FsChangeKind.Rescan, "new");

        Directory.CreateDirectory(At("new2"));
        await recorder.WaitForAsync(FsChangeKind.Rescan, "new2");
        recorder.Logs.Events.Count(e => e.Level == LogEventLevel.Warning).Should().Be(1, "the limit warning is logged once");

        Directory.Delete(At("new"), recursive: true);
        await recorder.WaitForAsync(FsChangeKind.Deleted, "new");
        IReadOnlyList<FsChange> after = await recorder.ChangesUntilSentinelAsync();
        after.Should().NotContain(c => c.Path == "new");
    }

    [Fact]
    public async Task Deleting_the_root_faults_completion()
    {
        Directory.CreateDirectory(At("root/sub"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(At("root"));

        Directory.Delete(At("root"), recursive: true);

        Func<Task> completion = () => recorder.Watcher.Completion.WaitAsync(ChangeRecorder.Timeout);
        await completion.Should().ThrowAsync<DirectoryNotFoundException>();
        recorder.Logs.Events.Should().Contain(e => e.Level == LogEventLevel.Error);
    }

    [Fact]
    public async Task Moving_the_root_away_faults_completion()
    {
        Directory.CreateDirectory(At("root"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(At("root"));

        Directory.Move(At("root"), At("elsewhere"));

        Func<Task> completion = () => recorder.Watcher.Completion.WaitAsync(ChangeRecorder.Timeout);
        await completion.Should().ThrowAsync<IOException>();
    }

    [Fact]
    public async Task Missing_root_fails_to_start()
    {
        Func<Task> start = () => ChangeRecorder.StartAsync(At("missing"));
        await start.Should().ThrowAsync<DirectoryNotFoundException>();
    }

    [Fact]
    public async Task Disposal_is_prompt_even_while_the_channel_is_full()
    {
        ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, capacity: 1);
        for (int i = 0; i < 20; i++)
        {
            await File.WriteAllTextAsync(At($"f{i}"), "x"); // nobody reads: the reader blocks on the full channel
        }

        // Dispose only once the reader is blocked on the full channel. Disposed before it got there (a loaded CI
        // machine), it drains the kernel queue at stop and waits, bounded, for a reader that this test never has.
        await ChangeRecorder.EventuallyAsync(
            () => recorder.Logs.Messages().Any(m => m.Contains("is full", StringComparison.Ordinal)), "the reader blocked on the full channel");
        var clock = Stopwatch.StartNew();
        await recorder.DisposeAsync();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        recorder.Watcher.Completion.IsCompletedSuccessfully.Should().BeTrue();
        recorder.Watcher.WatchCount.Should().Be(0);
    }

    [Fact]
    public async Task A_full_channel_loses_nothing()
    {
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, capacity: 2);
        for (int i = 0; i < 50; i++)
        {
            await File.WriteAllTextAsync(At($"f{i}"), "x");
        }

        for (int i = 0; i < 50; i++)
        {
            await recorder.WaitForAsync(FsChangeKind.Modified, $"f{i}");
        }
    }

    [Fact]
    public async Task An_idle_watcher_thread_sleeps_in_poll()
    {
        Directory.CreateDirectory(At("a/b"));
        HashSet<string> before = ReaderThreads();
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root);
        await File.WriteAllTextAsync(At("a/b/f"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "a/b/f");

        // Ours is the reader thread that appeared meanwhile (/proc/self/task/<tid>/comm is the thread name).
        List<string> started = ReaderThreads().Except(before).ToList();
        started.Should().ContainSingle();
        string task = started[0];

        long ticksBefore = CpuTicks(task);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the measurement window, not a synchronisation
        long ticksAfter = CpuTicks(task);

        (ticksAfter - ticksBefore).Should().BeLessThanOrEqualTo(1, "an idle watcher blocks in poll(2)");
        string wchan = ReadOrEmpty(Path.Combine(task, "wchan"));
        if (wchan.Length > 1)
        {
            wchan.Should().Contain("poll");
        }

        static HashSet<string> ReaderThreads() =>
            Directory.GetDirectories("/proc/self/task")
                .Where(t => ReadOrEmpty(Path.Combine(t, "comm")).Trim() == "inosync-inotify")
                .ToHashSet();

        static long CpuTicks(string task)
        {
            // stat: fields 14 and 15 (utime, stime), counted after the parenthesised comm.
            string stat = File.ReadAllText(Path.Combine(task, "stat"));
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        static string ReadOrEmpty(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException)
            {
                return ""; // the thread exited meanwhile
            }
        }
    }

    [Fact]
    public void Factory_picks_inotify_on_linux_and_portable_when_asked()
    {
        WatcherOptions options = ChangeRecorder.Options(Root, null, new LogCapture());
        ChangeWatcherFactory.Create(Inosync.Configuration.WatcherKind.Auto, options).Should().BeOfType<InotifyWatcher>();
        ChangeWatcherFactory.Create(Inosync.Configuration.WatcherKind.Inotify, options).Should().BeOfType<InotifyWatcher>();
        ChangeWatcherFactory.Create(Inosync.Configuration.WatcherKind.Portable, options).Should().BeOfType<PortableWatcher>();
    }

    private static async Task Shell(string script, string argument)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(argument);
        using Process process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, error);
    }
}
