using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>
/// A user who owns wpath's parent moves it away and plants wpath -> a secret directory (no inotify event reaches the
/// watches for that): the running daemon reads nothing from the new target, says why and exits 71; a restart refuses
/// the symlinked wpath (78).
/// </summary>
public sealed class WatchPathIdentityTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempTree _dir = new("inosync-identity-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_wpath_whose_parent_was_swapped_is_never_read_through_and_the_daemon_stops()
    {
        string watchPath = _dir.CreateDirectory("site/www");
        string node = _dir.CreateDirectory("node");
        _dir.WriteFile("site/www/index.html", "tree");
        string secret = _dir.CreateDirectory("secret");
        _dir.WriteFile("secret/passwd", "SECRET");
        string config = _dir.WriteFile("sync.toml", $"wpath = \"{watchPath}\"\nrpath = \"{node}\"\nrnodes = [\"\"]\n");

        await using (var daemon = InosyncProcess.Start(["-c", config]))
        {
            await daemon.WaitForLogAsync("ready", s_timeout);
            (await Eventually.TrueWithinAsync(() => File.Exists(Path.Combine(node, "index.html")), s_timeout)).Should().BeTrue();

            Directory.Move(_dir.PathOf("site"), _dir.PathOf("site.away"));
            Directory.CreateDirectory(_dir.PathOf("site"));
            Directory.CreateSymbolicLink(watchPath, secret);

            // A change in the watched tree, wherever it is now, to a name the planted directory also has: a batch that
            // read through the new link would send the secret file under that name.
            File.WriteAllText(_dir.PathOf("site.away/www/passwd"), "tree");

            (await daemon.WaitForExitAsync(s_timeout)).Should().Be(71, daemon.LogText);
            daemon.LogText.Should().Contain($"wpath '{watchPath}' no longer names the watched directory");
        }

        NodeHoldsSecret(node).Should().BeFalse("a file from outside the watched tree reached the node");

        await using (var restarted = InosyncProcess.Start(["-c", config]))
        {
            (await restarted.WaitForExitAsync(s_timeout)).Should().Be(78);
            restarted.LogText.Should().Contain($"wpath '{watchPath}' is a symbolic link");
        }

        NodeHoldsSecret(node).Should().BeFalse("a file from outside the watched tree reached the node after the restart");
    }

    private static bool NodeHoldsSecret(string node) =>
        File.Exists(Path.Combine(node, "passwd")) && File.ReadAllText(Path.Combine(node, "passwd")) == "SECRET";
}
