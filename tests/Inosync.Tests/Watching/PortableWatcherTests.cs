using Inosync.Tests.Support;
using Inosync.Filtering;
using Inosync.Testing;
using Inosync.Watching;

namespace Inosync.Tests.Watching;

/// <summary>The FileSystemWatcher-based watcher, run on whatever OS the tests run on: the cases that matter for
/// convergence. It reports at least what a sync needs; FileSystemWatcher may add extra Modified changes.</summary>
[Collection("Watching")]
public sealed class PortableWatcherTests : IDisposable
{
    private readonly TempTree _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Root => _temp.Root;

    private string At(string relative) => _temp.PathOf(relative);

    [Fact]
    public async Task Files_created_written_and_deleted_are_reported()
    {
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, portable: true);

        await File.WriteAllTextAsync(At("a.txt"), "one");
        await recorder.WaitForAsync(FsChangeKind.Modified, "a.txt");

        await File.AppendAllTextAsync(At("a.txt"), "two");
        await recorder.WaitForAsync(FsChangeKind.Modified, "a.txt");

        File.Delete(At("a.txt"));
        await recorder.WaitForAsync(FsChangeKind.Deleted, "a.txt");
    }

    [Fact]
    public async Task Mkdir_p_reports_the_new_directory_and_later_writes_inside_it()
    {
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, portable: true);

        Directory.CreateDirectory(At("a/b/c/d/e"));
        (await recorder.WaitForAsync(FsChangeKind.DirectoryCreated, "a")).IsDirectory.Should().BeTrue();

        // FileSystemWatcher may add its watches below a new directory after reporting it: write until one is seen.
        for (int attempt = 1; ; attempt++)
        {
            await File.WriteAllTextAsync(At("a/b/c/d/e/g"), "x");
            try
            {
                await recorder.WaitForAsync(FsChangeKind.Modified, "a/b/c/d/e/g", TimeSpan.FromMilliseconds(250));
                break;
            }
            catch (TimeoutException) when (attempt < 20)
            {
            }
        }
    }

    [Fact]
    public async Task Renamed_directory_is_reported_and_writes_under_the_new_name_are_seen()
    {
        Directory.CreateDirectory(At("d1/sub"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, portable: true);

        Directory.Move(At("d1"), At("d2"));
        FsChange renamed = await recorder.WaitForAsync(FsChangeKind.Renamed, "d2");
        renamed.OldPath.Should().Be("d1");
        renamed.IsDirectory.Should().BeTrue();

        await File.WriteAllTextAsync(At("d2/sub/x"), "x");
        await recorder.WaitForAsync(FsChangeKind.Modified, "d2/sub/x");
    }

    [Fact]
    public async Task Excluded_entries_and_everything_below_excluded_directories_are_not_reported()
    {
        Directory.CreateDirectory(At("node_modules/pkg"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, Filters.Excluding(["/node_modules", "*.tmp"]), portable: true);

        await File.WriteAllTextAsync(At("node_modules/pkg/f"), "x");
        await File.WriteAllTextAsync(At("scratch.tmp"), "x");
        File.Move(At("scratch.tmp"), At("kept.txt"));

        IReadOnlyList<FsChange> changes = await recorder.ChangesUntilSentinelAsync();
        changes.Should().NotContain(c => c.Path.StartsWith("node_modules", StringComparison.Ordinal) || c.Path.EndsWith(".tmp", StringComparison.Ordinal));
        changes.Should().Contain(new FsChange(FsChangeKind.Modified, "kept.txt"));
    }

    [Fact]
    public async Task Deleting_the_root_faults_completion()
    {
        Directory.CreateDirectory(At("root/sub"));
        await using ChangeRecorder recorder = await ChangeRecorder.StartAsync(At("root"), portable: true);

        Directory.Delete(At("root"), recursive: true);

        Func<Task> completion = () => recorder.Watcher.Completion.WaitAsync(ChangeRecorder.Timeout);
        await completion.Should().ThrowAsync<DirectoryNotFoundException>();
    }

    [Fact]
    public async Task Disposal_completes()
    {
        ChangeRecorder recorder = await ChangeRecorder.StartAsync(Root, portable: true);
        await recorder.DisposeAsync();
        recorder.Watcher.Completion.IsCompletedSuccessfully.Should().BeTrue();
    }
}
