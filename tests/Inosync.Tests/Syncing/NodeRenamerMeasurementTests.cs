using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Renaming;
using Inosync.Testing;
using Inosync.Testing.Servers;
using Inosync.Tests.Remote;
using Inosync.Tests.Support;
using Xunit.Abstractions;

namespace Inosync.Tests.Syncing;

/// <summary>
/// What a node rename saves: a 50 MB directory renamed in the source, then the narrow rsync of its new name.
/// With the rename applied on the node first, rsync finds everything in place; without it, it sends it all again.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class NodeRenamerMeasurementTests : IClassFixture<SshServerFixture>, IDisposable
{
    private const int TreeBytes = 50 * 1024 * 1024;

    private readonly SshServer _server;
    private readonly ITestOutputHelper _output;
    private readonly string _source;
    private readonly string _node;

    public NodeRenamerMeasurementTests(SshServerFixture fixture, ITestOutputHelper output)
    {
        _server = fixture.Server;
        _output = output;
        _source = Directory.CreateTempSubdirectory("inosync-measure-src-").FullName;
        _node = Path.Combine(_server.DataPath, "measure-" + Guid.NewGuid().ToString("n"));
    }

    public void Dispose()
    {
        Directory.Delete(_source, recursive: true);
        if (Directory.Exists(_node))
        {
            Directory.Delete(_node, recursive: true);
        }
    }

    [Fact]
    public async Task Renaming_on_the_node_first_sends_a_small_fraction_of_a_renamed_50_MB_directory()
    {
        await PrepareAsync();
        long relayBefore = _server.BytesReceived;

        int renamed = await new NodeRenamer(new LogCapture().Logger).RenameAsync(
            Node(), [new MovedPath("photos/2024", "archive/2024-renamed", true)], CancellationToken.None);
        long sent = await ReconcileAsync();
        long onTheWire = _server.BytesReceived - relayBefore;

        _output.WriteLine($"with node rename: rsync sent {sent} B, {onTheWire} B reached sshd (of {TreeBytes} B)");
        renamed.Should().Be(1);
        sent.Should().BeLessThan(TreeBytes / 20, "rsync should find the renamed files already on the node");
        onTheWire.Should().BeLessThan(TreeBytes / 20);
        TreeComparer.Differences(_source, _node).Should().BeEmpty();
    }

    [Fact]
    public async Task Without_the_node_rename_the_same_rsync_sends_the_whole_directory_again()
    {
        await PrepareAsync();

        long sent = await ReconcileAsync();

        _output.WriteLine($"without node rename: rsync sent {sent} B (of {TreeBytes} B)");
        sent.Should().BeGreaterThan(TreeBytes * 9L / 10, "this is the cost the rename avoids (and proof the measure sees it)");
        TreeComparer.Differences(_source, _node).Should().BeEmpty();
    }

    /// <summary>The same 50 MB of random data under photos/2024 in the source and on the node, then renamed in the source.</summary>
    private async Task PrepareAsync()
    {
        const int Directories = 10, FilesPerDirectory = 5, FileBytes = TreeBytes / (Directories * FilesPerDirectory);
        var buffer = new byte[FileBytes];
        for (int d = 0; d < Directories; d++)
        {
            string directory = Path.Combine(_source, "photos", "2024", $"album {d}");
            Directory.CreateDirectory(directory);
            for (int f = 0; f < FilesPerDirectory; f++)
            {
                RandomNumberGenerator.Fill(buffer); // incompressible: nothing for rsync or ssh to squeeze
                await File.WriteAllBytesAsync(Path.Combine(directory, $"img_{f}.raw"), buffer);
            }
        }

        Directory.CreateDirectory(Path.Combine(_source, "archive"));
        Directory.CreateDirectory(_node);
        var copy = await ExternalTool.RunAsync("rsync", ["-a", _source + "/", _node + "/"]);
        copy.ExitCode.Should().Be(0, copy.ToString());

        Directory.Move(Path.Combine(_source, "photos", "2024"), Path.Combine(_source, "archive", "2024-renamed"));
    }

    /// <summary>The narrow rsyncs a batch would run: the new name recursively, and the old parent to drop the old name.</summary>
    private async Task<long> ReconcileAsync()
    {
        long sent = 0;
        foreach (string directory in new[] { "archive/2024-renamed", "photos" })
        {
            var result = await ExternalTool.RunAsync(
                "rsync",
                [.. _server.ExtraArgs, "-a", "--delete", "--stats", $"{_source}/{directory}/", _server.Target($"{_node}/{directory}/")]);
            result.ExitCode.Should().Be(0, result.ToString());
            sent += TotalBytesSent(result.StandardOutput);
        }

        return sent;
    }

    private NodeConfig Node() =>
        new(_server.Node, NodeKind.Ssh, _server.Target(_node), _server.ExtraArgs, 0, null, MoveStrategy.Rename, "test");

    private static long TotalBytesSent(string stats)
    {
        var match = TotalBytesSentLine().Match(stats);
        match.Success.Should().BeTrue("rsync --stats prints \"Total bytes sent\": " + stats);
        return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^Total bytes sent: ([\d,.]+)", RegexOptions.Multiline)]
    private static partial Regex TotalBytesSentLine();
}
