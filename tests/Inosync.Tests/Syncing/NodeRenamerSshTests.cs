using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Renaming;
using Inosync.Testing.Servers;
using Inosync.Tests.Remote;
using Inosync.Tests.Support;
using Serilog.Events;

namespace Inosync.Tests.Syncing;

/// <summary>Renames on an ssh node, against a real sshd on 127.0.0.1 (the node directory is local, so we can look).</summary>
[SupportedOSPlatform("linux")]
public sealed class NodeRenamerSshTests : IClassFixture<SshServerFixture>, IDisposable
{
    private readonly SshServer _server;
    private readonly string _node;
    private readonly LogCapture _log = new();
    private readonly NodeRenamer _renamer;

    public NodeRenamerSshTests(SshServerFixture fixture)
    {
        _server = fixture.Server;
        _node = Path.Combine(_server.DataPath, "node-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_node);
        _renamer = new NodeRenamer(_log.Logger);
    }

    public void Dispose() => Directory.Delete(_node, recursive: true);

    [Fact]
    public async Task Hostile_names_are_renamed_verbatim_and_nothing_is_executed()
    {
        string token = "PWNED-" + Guid.NewGuid().ToString("n");

        // Were a name ever run by a shell, this canary in the remote home (the remote shell's working directory) would go.
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string canary = "inosync-canary-" + Guid.NewGuid().ToString("n");
        File.WriteAllText(Path.Combine(home, canary), "");
        string[] names =
        [
            $"; rm -f {canary}; echo ",
            $"$(touch {token})",
            $"`touch {token}`",
            "new\nline",
            "-leading-dash",
            "--",
            "-rf",
            "it's \"quoted\"",
            "'",
            "  spaces  around  ",
            "glob * ? [a-z]",
            "back\\slash\\",
            "$HOME",
            "~",
            "tab\there",
            "ünïcødé ✓",
            $"| touch {token} &",
            $"> {token}",
        ];
        var moves = new List<MovedPath>();
        for (int i = 0; i < names.Length; i++)
        {
            Directory.CreateDirectory(Path.Combine(_node, names[i]));
            File.WriteAllText(Path.Combine(_node, names[i], names[(i + 1) % names.Length]), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            moves.Add(new MovedPath(names[i], $"moved {names[i]} $(touch {token})", true));
        }

        // A file moved inside one hostile directory into another.
        moves.Add(new MovedPath($"moved {names[0]} $(touch {token})/{names[1]}", $"moved {names[2]} $(touch {token})/{names[3]}'", false));

        int renamed = await _renamer.RenameAsync(SshNode(_node), moves, CancellationToken.None);

        renamed.Should().Be(moves.Count, string.Join('\n', _log.Messages(LogEventLevel.Verbose)));
        var entries = Directory.EnumerateFileSystemEntries(_node).Select(Path.GetFileName).ToList();
        entries.Should().BeEquivalentTo(names.Select(n => $"moved {n} $(touch {token})"));
        for (int i = 1; i < names.Length; i++)
        {
            File.ReadAllText(Path.Combine(_node, $"moved {names[i]} $(touch {token})", names[(i + 1) % names.Length]))
                .Should().Be(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        File.ReadAllText(Path.Combine(_node, $"moved {names[2]} $(touch {token})", names[3] + "'")).Should().Be("0");
        File.Exists(Path.Combine(home, canary)).Should().BeTrue("no name may ever be executed");
        File.Delete(Path.Combine(home, canary));
        string[] places = [_node, _server.DataPath, home, Environment.CurrentDirectory, Path.GetTempPath(), "/"];
        places.SelectMany(p => Directory.EnumerateFileSystemEntries(p, "*" + token + "*", new EnumerationOptions { RecurseSubdirectories = p == _node }))
            .Where(p => Path.GetFileName(p).StartsWith(token, StringComparison.Ordinal) || Path.GetFileName(p).StartsWith("PWNED", StringComparison.Ordinal))
            .Should().BeEmpty("no name may ever be executed");
    }

    [Fact]
    public async Task Applies_what_it_can_and_leaves_the_rest_to_rsync()
    {
        Write("chain/f", "chain");
        Write("old.txt", "old");
        Write("taken.txt", "taken");
        Write("dir/x", "x");
        Directory.CreateDirectory(Path.Combine(_node, "existing-dir"));
        Write("file-not-dir", "f");
        string outside = Path.Combine(_server.DataPath, "outside-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret"), "s");
        File.CreateSymbolicLink(Path.Combine(_node, "link"), outside);
        try
        {
            int renamed = await _renamer.RenameAsync(
                SshNode(_node),
                [
                    new MovedPath("chain", "chain2", true),
                    new MovedPath("chain2", "chain3", true),          // sees the first move: in order
                    new MovedPath("old.txt", "taken.txt", false),     // never overwrites
                    new MovedPath("dir", "existing-dir", true),       // never merges
                    new MovedPath("missing", "whatever", false),
                    new MovedPath("file-not-dir", "d", true),         // node has a file, source a directory
                    new MovedPath("link/secret", "stolen", false),    // symlinked parent
                    new MovedPath("dir/x", "nowhere/x", false),       // missing parent
                    new MovedPath("../etc", "x", true),               // never sent to the node
                ],
                CancellationToken.None);

            renamed.Should().Be(2);
            Read("chain3/f").Should().Be("chain");
            Read("old.txt").Should().Be("old");
            Read("taken.txt").Should().Be("taken");
            Read("dir/x").Should().Be("x");
            Directory.EnumerateFileSystemEntries(Path.Combine(_node, "existing-dir")).Should().BeEmpty();
            Read("file-not-dir").Should().Be("f");
            File.Exists(Path.Combine(outside, "secret")).Should().BeTrue();
            File.Exists(Path.Combine(_node, "stolen")).Should().BeFalse();
            _log.Messages(LogEventLevel.Information).Should().HaveCount(6);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("~/")]
    public async Task A_relative_directory_is_below_the_remote_home(string prefix)
    {
        // The server logs in as the current user, so the remote home is our home.
        string name = "inosync-renamer-test-" + Guid.NewGuid().ToString("n");
        string home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), name);
        Directory.CreateDirectory(Path.Combine(home, "a b"));
        try
        {
            var node = SshNode(_node) with { Target = _server.Target(prefix + name), ExtraArgs = ["--rsh=" + _server.SshCommand] };

            int renamed = await _renamer.RenameAsync(node, [new MovedPath("a b", "c d", true)], CancellationToken.None);

            renamed.Should().Be(1, string.Join('\n', _log.Messages(LogEventLevel.Verbose)));
            Directory.Exists(Path.Combine(home, "c d")).Should().BeTrue();
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_node_renames_nothing_and_says_why()
    {
        Write("a", "a");
        int closedPort = FreePortForTests();
        string ssh = _server.SshCommand.Replace($"-p {_server.Port} ", $"-p {closedPort} ", StringComparison.Ordinal);
        var node = SshNode(_node) with { ExtraArgs = ["-e", ssh] };

        int renamed = await _renamer.RenameAsync(node, [new MovedPath("a", "b", false)], CancellationToken.None);

        renamed.Should().Be(0);
        Read("a").Should().Be("a");
        _log.Messages(LogEventLevel.Information).Should().ContainSingle()
            .Which.Should().Contain("exited with 255").And.Contain("Connection refused");
    }

    [Fact]
    public async Task Cancellation_is_an_exception_not_a_fallback()
    {
        Write("a", "a");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => _renamer.RenameAsync(SshNode(_node), [new MovedPath("a", "b", false)], cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static int FreePortForTests()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private NodeConfig SshNode(string directory) =>
        new(_server.Node, NodeKind.Ssh, _server.Target(directory), _server.ExtraArgs, 0, null, MoveStrategy.Rename, "test");

    private void Write(string relative, string content)
    {
        string path = Path.Combine(_node, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string Read(string relative) => File.ReadAllText(Path.Combine(_node, relative));
}
