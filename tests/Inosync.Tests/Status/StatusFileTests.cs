using System.Text;
using System.Text.Json;
using Inosync.Status;
using Inosync.Testing;

namespace Inosync.Tests.Status;

public sealed class StatusFileTests : IDisposable
{
    private readonly TempTree _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Written_document_reads_back_equal()
    {
        var document = StatusSamples.Document(DaemonStates.Running, StatusSamples.Healthy(), StatusSamples.Retrying());
        string path = _dir.PathOf("status.json");

        StatusFile.Write(path, document);
        var read = StatusFile.Read(path);

        read.Should().BeEquivalentTo(document);
        read.Syncs[0].Nodes[1].LastError!.Message.Should().StartWith("ssh: connect");
    }

    [Fact]
    public void Json_uses_snake_case_and_writes_every_key_including_nulls()
    {
        string json = Encoding.UTF8.GetString(StatusFile.Serialize(StatusSamples.Document()));
        using var parsed = JsonDocument.Parse(json);

        parsed.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
            "format", "version", "pid", "config", "state", "started", "updated", "syncs");
        JsonElement sync = parsed.RootElement.GetProperty("syncs")[0];
        sync.EnumerateObject().Select(p => p.Name).Should().Equal("name", "wpath", "watches", "queue_depth", "nodes");
        JsonElement node = sync.GetProperty("nodes")[0];
        node.EnumerateObject().Select(p => p.Name).Should().Equal(
            "node", "state", "next_attempt", "last_success", "last_error", "consecutive_failures", "pending",
            "batches", "rsync_runs", "failures", "dropped_batches", "paths_synced", "batch_started", "slow", "warning");
        node.GetProperty("state").GetString().Should().Be("idle");
        node.GetProperty("last_error").ValueKind.Should().Be(JsonValueKind.Null);
        json.Should().EndWith("}\n");
    }

    [Fact]
    public void Write_creates_the_directory_and_leaves_no_temporary_file()
    {
        string path = _dir.PathOf("run/inosync/status.json");

        StatusFile.Write(path, StatusSamples.Document());
        StatusFile.Write(path, StatusSamples.Document(DaemonStates.Stopped));

        Directory.GetFiles(_dir.PathOf("run/inosync")).Should().Equal(path);
        StatusFile.Read(path).State.Should().Be(DaemonStates.Stopped);
    }

    [Fact]
    public void Write_replaces_the_file_by_rename_so_an_open_reader_keeps_the_old_document()
    {
        string path = _dir.PathOf("status.json");
        StatusFile.Write(path, StatusSamples.Document(DaemonStates.Starting));
        using var reader = File.OpenRead(path);

        StatusFile.Write(path, StatusSamples.Document(DaemonStates.Running));

        StatusFile.Parse(ReadAll(reader)).State.Should().Be(DaemonStates.Starting, "the old inode is intact");
        StatusFile.Read(path).State.Should().Be(DaemonStates.Running);
    }

    [Theory]
    [InlineData("", "not an inosync status file")]
    [InlineData("null", "not an inosync status file")]
    [InlineData("{\"format\": 1}", "not an inosync status file")]
    [InlineData("[1, 2]", "not an inosync status file")]
    public void Parse_rejects_what_is_not_a_status_document(string json, string message) =>
        FluentActions.Invoking(() => StatusFile.Parse(Encoding.UTF8.GetBytes(json)))
            .Should().Throw<InvalidDataException>().WithMessage($"{message}*");

    [Fact]
    public void Parse_refuses_a_newer_format_instead_of_misreading_it()
    {
        byte[] newer = StatusFile.Serialize(StatusSamples.Document() with { Format = StatusDocument.CurrentFormat + 1, Version = "9.0.0" });

        FluentActions.Invoking(() => StatusFile.Parse(newer))
            .Should().Throw<InvalidDataException>().WithMessage("written by inosync 9.0.0 in format 2*");
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
