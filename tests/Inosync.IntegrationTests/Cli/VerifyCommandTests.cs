using System.Net;
using System.Net.Sockets;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Cli;

/// <summary><c>inosync verify</c> with real rsync: a node that drifted, one that is equal, one that cannot be reached.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-verify-");

    public VerifyCommandTests()
    {
        _dir.WriteFile("src/a", "a");
        _dir.WriteFile("src/b", "b");
        _dir.WriteFile("src/d/c", "c");
        _dir.WriteFile("src/scratch.tmp", "excluded");
        _dir.CreateDirectory("dst");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_node_that_drifted_differs_with_each_difference_named_and_an_equal_one_exits_0()
    {
        string config = Config("");
        await CopyAsync();
        (await VerifyAsync(config)).ExitCode.Should().Be(0);

        File.Delete(_dir.PathOf("dst/a"));
        File.WriteAllText(_dir.PathOf("dst/b"), "changed on the node");
        _dir.WriteFile("dst/d/added", "only on the node");
        _dir.WriteFile("dst/node.tmp", "excluded, so protected: not a difference");
        File.SetLastWriteTimeUtc(_dir.PathOf("dst/d"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var result = await VerifyAsync(config);

        result.ExitCode.Should().Be(1, result.ToString());
        result.StdOut.Should().Contain($"  {_dir.PathOf("dst")}: 3 differences\n")
            .And.MatchRegex(@"\n    >f\+{9} a\n")
            .And.MatchRegex(@"\n    >f\.s[\.t]\.{6} b\n")
            .And.Contain("\n    *deleting   d/added\n")
            .And.Contain("verify: 0 of 1 node equals the source, 1 differs (size and modification time compared");
        result.StdOut.Should().NotContain(".tmp").And.NotContain(" d/\n", "a directory's time alone is not a difference");
        File.Exists(_dir.PathOf("dst/d/added")).Should().BeTrue("verify changes nothing");
    }

    [Fact]
    public async Task Checksum_finds_a_change_that_kept_size_and_time()
    {
        string config = Config("");
        await CopyAsync();
        // Same size, and the same mtime to the nanosecond (touch -r copies it whole).
        await Shell.RunAsync("cp -p \"$1\" \"$1.time\" && printf B > \"$1\" && touch -r \"$1.time\" \"$1\" && rm \"$1.time\"", _dir.PathOf("dst/b"));

        (await VerifyAsync(config)).ExitCode.Should().Be(0, "the quick check cannot see it");
        var result = await VerifyAsync(config, "--checksum");

        result.ExitCode.Should().Be(1, result.ToString());
        result.StdOut.Should().MatchRegex(@"\n    >fc\.*\s+b\n").And.Contain("(contents compared)");
    }

    [Fact]
    public async Task A_node_that_cannot_be_reached_exits_69()
    {
        int port = FreePort();
        string config = Config($"\n[[node]]\ntarget = \"rsync://127.0.0.1:{port}/nothing\"\n");
        await CopyAsync();

        var result = await VerifyAsync(config);

        result.ExitCode.Should().Be(69, result.ToString());
        result.StdOut.Should().Contain($"rsync://127.0.0.1:{port}/nothing/dst: cannot be compared: rsync exit 10")
            .And.Contain($"{_dir.PathOf("dst")}: equal")
            .And.Contain("1 cannot be compared");
    }

    [Fact]
    public async Task An_unknown_sync_name_is_a_usage_error()
    {
        var result = await VerifyAsync(Config(""), "--sync", "nope");

        result.ExitCode.Should().Be(64, result.ToString());
        result.StdErr.Should().Contain("no sync is named 'nope'");
    }

    private string Config(string more) =>
        _dir.WriteFile("sync.toml", $"wpath = \"src\"\nrpath = \"dst\"\nrnodes = [\"\"]\nrexcludes = [\"*.tmp\"]\n{more}");

    private static Task<CliResult> VerifyAsync(string config, params string[] more) =>
        InosyncProcess.RunAsync(["verify", "-c", config, .. more], TimeSpan.FromSeconds(60));

    private async Task CopyAsync() =>
        await Shell.RunAsync("/usr/bin/rsync -a --exclude='*.tmp' \"$1/\" \"$2/\"", _dir.PathOf("src"), _dir.PathOf("dst"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
