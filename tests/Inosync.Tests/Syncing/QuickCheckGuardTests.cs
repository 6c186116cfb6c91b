using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Rsync;
using Inosync.Testing;
using static Inosync.Tests.Syncing.Mirror;

namespace Inosync.Tests.Syncing;

[SupportedOSPlatform("linux")]
public sealed class QuickCheckGuardTests : IDisposable
{
    // A run of one second, long ago enough that nothing the test machine writes on its own falls into it.
    private static readonly DateTimeOffset s_start = new(2020, 5, 6, 7, 8, 9, 500, TimeSpan.Zero);
    private static readonly DateTimeOffset s_end = s_start.AddSeconds(1);

    private readonly TempTree _source = new("inosync-src-");
    private readonly QuickCheckGuard _guard = new();

    public void Dispose() => _source.Dispose();

    private string Root => _source.Root + "/";

    [Fact]
    public void Without_a_run_so_far_only_recursive_jobs_need_checksums()
    {
        WriteWithMtime("d/f", s_start.AddMilliseconds(10));

        _guard.NeedsChecksum(Batch(Named("d", ("f", NameChange.Modified))), Root).Should().BeFalse();
        _guard.NeedsChecksum(Batch(Recursive("d")), Root).Should().BeTrue("the files below a recursive job are not listed");
        _guard.NeedsChecksum(Full, Root).Should().BeFalse("a full sync compares mtimes to the nanosecond");
    }

    [Theory]
    [InlineData(500, true)] // written while the run read the tree
    [InlineData(999, true)] // as it ended
    [InlineData(-15, true)] // a tick before it started: the clock that stamps mtimes lags the wall clock
    [InlineData(-25, false)] // before that: the run saw this mtime with the content it has now
    [InlineData(1001, false)] // after the run: its copy on the node has an older mtime
    public void A_listed_file_needs_checksums_when_its_mtime_falls_within_a_run(int millisecondsAfterStart, bool expected)
    {
        _guard.RecordRun(s_start, s_end);
        WriteWithMtime("d/f", s_start.AddMilliseconds(millisecondsAfterStart).AddTicks(1234));

        _guard.NeedsChecksum(Batch(Named("d", ("f", NameChange.Modified))), Root).Should().Be(expected);
    }

    [Fact]
    public void Files_in_the_root_are_found_too()
    {
        _guard.RecordRun(s_start, s_end);
        WriteWithMtime("f", s_start.AddMilliseconds(3));

        _guard.NeedsChecksum(Batch(Named("", ("f", NameChange.Modified))), Root).Should().BeTrue();
    }

    [Fact]
    public void An_mtime_in_whole_seconds_reaches_two_seconds_further_back()
    {
        // Such a file may live on a file system with whole-second (FAT: two-second) stamps.
        _guard.RecordRun(s_start, s_end);
        DateTimeOffset wholeSecond = new(2020, 5, 6, 7, 8, 8, TimeSpan.Zero); // 1.5 s before the start
        WriteWithMtime("whole", wholeSecond);
        WriteWithMtime("fine", wholeSecond.AddTicks(1));

        _guard.NeedsChecksum(Batch(Named("", ("whole", NameChange.Modified))), Root).Should().BeTrue();
        _guard.NeedsChecksum(Batch(Named("", ("fine", NameChange.Modified))), Root).Should().BeFalse();
    }

    [Fact]
    public void Removed_names_directories_symlinks_and_missing_files_never_need_checksums()
    {
        _guard.RecordRun(s_start, s_end);
        DateTimeOffset inside = s_start.AddMilliseconds(100);
        WriteWithMtime("removed", inside);
        _source.CreateDirectory("dir");
        Directory.SetLastWriteTimeUtc(_source.PathOf("dir"), inside.UtcDateTime);
        File.CreateSymbolicLink(_source.PathOf("link"), "removed");

        var batch = Batch(Named("", ("removed", NameChange.Removed), ("dir", NameChange.Modified), ("link", NameChange.Modified), ("gone", NameChange.Modified)));

        _guard.NeedsChecksum(batch, Root).Should().BeFalse();
        _guard.NeedsChecksum(Batch(Named("", ("removed", NameChange.Removed | NameChange.Modified))), Root).Should().BeTrue();
    }

    [Fact]
    public void Runs_back_to_back_share_one_window()
    {
        _guard.RecordRun(s_start, s_end);
        _guard.RecordRun(s_end.AddMilliseconds(5), s_end.AddSeconds(1));
        _guard.RecordRun(s_end.AddSeconds(3), s_end.AddSeconds(4));

        _guard.WindowCount.Should().Be(2);
    }

    [Fact]
    public void Beyond_64_windows_the_oldest_merge_and_still_cover_their_runs()
    {
        for (int i = 0; i < 100; i++)
        {
            _guard.RecordRun(s_start.AddSeconds(10 * i), s_start.AddSeconds((10 * i) + 1));
        }

        _guard.WindowCount.Should().Be(64);
        WriteWithMtime("first", s_start.AddMilliseconds(500));
        WriteWithMtime("last", s_start.AddSeconds(990.5));
        WriteWithMtime("between", s_start.AddSeconds(995));
        _guard.NeedsChecksum(Batch(Named("", ("first", NameChange.Modified))), Root).Should().BeTrue();
        _guard.NeedsChecksum(Batch(Named("", ("last", NameChange.Modified))), Root).Should().BeTrue();
        _guard.NeedsChecksum(Batch(Named("", ("between", NameChange.Modified))), Root).Should().BeFalse();
    }

    private void WriteWithMtime(string relative, DateTimeOffset mtime)
    {
        string path = _source.WriteFile(relative, "content");
        File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
    }
}
