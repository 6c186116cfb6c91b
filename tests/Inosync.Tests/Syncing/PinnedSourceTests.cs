using System.Diagnostics;
using Inosync.Rsync;
using Inosync.Testing;

namespace Inosync.Tests.Syncing;

/// <summary>rsync reads exactly the watched directory, whatever the path wpath names later.</summary>
public sealed class PinnedSourceTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-pinned-");
    private readonly string _watchPath;

    public PinnedSourceTests()
    {
        _watchPath = _dir.CreateDirectory("site/www");
        _dir.WriteFile("site/www/index.html", "tree");
        _dir.WriteFile("etc/passwd", "SECRET");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Rsync_reads_the_watched_directory_after_its_parent_was_moved_and_the_path_planted_with_a_link()
    {
        using PinnedSource source = PinnedSource.Open(_watchPath);
        source.StillNamedByPath().Should().BeTrue();

        Directory.Move(_dir.PathOf("site"), _dir.PathOf("site.away"));
        Directory.CreateDirectory(_dir.PathOf("site"));
        Directory.CreateSymbolicLink(_watchPath, _dir.PathOf("etc"));

        (await RsyncListAsync(source.RsyncSource)).Should().Contain("index.html").And.NotContain("passwd");
        source.StillNamedByPath().Should().BeFalse();
        (await FluentActions.Awaiting(() => source.Lost).Should().ThrowAsync<IOException>())
            .Which.Message.Should().Be($"wpath '{_watchPath}' no longer names the watched directory (it was moved, replaced or re-pointed): nothing more is synced from that path");
    }

    [Fact]
    public void A_directory_put_in_its_place_is_not_the_watched_one()
    {
        using PinnedSource source = PinnedSource.Open(_watchPath);

        Directory.Move(_watchPath, _watchPath + ".old");
        Directory.CreateDirectory(_watchPath);

        source.StillNamedByPath().Should().BeFalse();
    }

    [Fact]
    public void A_wpath_that_is_a_symbolic_link_cannot_be_pinned()
    {
        string link = _dir.PathOf("current");
        Directory.CreateSymbolicLink(link, _watchPath);

        FluentActions.Invoking(() => PinnedSource.Open(link)).Should().Throw<IOException>()
            .WithMessage($"wpath '{link}' is a symbolic link; give the directory it points to");
    }

    private static async Task<string> RsyncListAsync(string source)
    {
        using var rsync = Process.Start(new ProcessStartInfo("rsync", ["-r", "--list-only", source]) { RedirectStandardOutput = true })!;
        string listing = await rsync.StandardOutput.ReadToEndAsync();
        await rsync.WaitForExitAsync();
        rsync.ExitCode.Should().Be(0);
        return listing;
    }
}
