using Inosync.Filtering;
using Inosync.Tests.Support;
using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Processes;
using Inosync.Rsync;
using Inosync.Testing;
using Inosync.Testing.RawFiles;
using static Inosync.Tests.Syncing.Mirror;

namespace Inosync.Tests.Syncing;

/// <summary>The narrow rsync command, run with the real rsync between real temp trees.</summary>
[SupportedOSPlatform("linux")]
public sealed class RsyncCommandTests : IDisposable
{
    private const NameChange Modified = NameChange.Modified;
    private const NameChange Removed = NameChange.Removed;

    private readonly Mirror _mirror = new();

    private TempTree Source => _mirror.Source;

    private TempTree Node => _mirror.Node;

    public void Dispose() => _mirror.Dispose();

    [Fact]
    public async Task Named_file_changes_transfer_only_the_listed_names()
    {
        Source.WriteFile("a/b/one", "1");
        Source.WriteFile("a/b/two", "2");
        Source.WriteFile("a/other", "x");
        Node.WriteFile("a/b/stale-but-unlisted", "keep me");

        await _mirror.SyncAsync(Batch(Named("a/b", ("one", Modified))));

        File.ReadAllText(Node.PathOf("a/b/one")).Should().Be("1");
        Node.Exists("a/b/two").Should().BeFalse("only listed names are sent");
        Node.Exists("a/other").Should().BeFalse();
        Node.Exists("a/b/stale-but-unlisted").Should().BeTrue("unlisted entries on the node are protected from --delete");
    }

    [Fact]
    public async Task Removed_file_is_deleted_on_the_node()
    {
        Source.WriteFile("a/keep", "k");
        Source.WriteFile("a/gone", "g");
        await _mirror.SyncAsync(Full);
        Source.Delete("a/gone");

        await _mirror.SyncAsync(Batch(Named("a", ("gone", Removed))));

        _mirror.AssertInSync();
    }

    [Fact]
    public async Task Removed_directory_tree_is_deleted_whole()
    {
        Source.WriteFile("a/tree/x/y/z/file", "deep");
        Source.WriteFile("a/tree/top", "t");
        Source.WriteFile("a/sibling", "s");
        await _mirror.SyncAsync(Full);
        Source.Delete("a/tree");

        await _mirror.SyncAsync(Batch(Named("a", ("tree", Removed))));

        _mirror.AssertInSync();
    }

    [Fact]
    public async Task Recursive_job_syncs_a_new_directory_five_levels_deep()
    {
        Source.WriteFile("top/file", "t");
        await _mirror.SyncAsync(Full);
        Source.WriteFile("top/new/l1/l2/l3/l4/l5/leaf", "leaf");
        Source.WriteFile("top/new/l1/side", "side");
        Source.CreateDirectory("top/new/l1/l2/empty");

        await _mirror.SyncAsync(Batch(Recursive("top/new")));

        _mirror.AssertInSync();
    }

    [Fact]
    public async Task Renamed_directory_is_removed_and_synced_again()
    {
        Source.WriteFile("a/old/sub/file", "f");
        Source.WriteFile("a/old/other", "o");
        await _mirror.SyncAsync(Full);
        Directory.Move(Source.PathOf("a/old"), Source.PathOf("a/new"));

        await _mirror.SyncAsync(Batch(Named("a", ("old", Removed)), Recursive("a/new")));

        _mirror.AssertInSync();
    }

    [Fact]
    public async Task Modified_entry_replaces_a_directory_on_the_node_with_a_file()
    {
        Source.WriteFile("a/thing/inside", "i");
        await _mirror.SyncAsync(Full);
        Source.Delete("a/thing");
        Source.WriteFile("a/thing", "now a file");

        await _mirror.SyncAsync(Batch(Named("a", ("thing", Modified | Removed))));

        _mirror.AssertInSync();
    }

    public static TheoryData<string, string> AwkwardNames() => new()
    {
        { "space", "with space" },
        { "spaces at both ends", " both ends " },
        { "newline", "new\nline" },
        { "tab", "tab\there" },
        { "carriage return", "cr\rhere" },
        { "leading dash", "-leading-dash" },
        { "looks like an option", "--delete" },
        { "rule prefix", "- minus" },
        { "plus prefix", "+ plus" },
        { "comment", "#hash" },
        { "semicolon", ";semicolon" },
        { "bang", "!" },
        { "star", "st*r" },
        { "triple star", "***" },
        { "question mark", "what?" },
        { "open bracket", "[open" },
        { "close bracket", "close]" },
        { "bracket class", "[ab]" },
        { "backslash", "back\\slash" },
        { "trailing backslash", "trailing\\" },
        { "backslash and star", "b\\*s" },
        { "single quote", "it's" },
        { "double quote", "say \"hi\"" },
        { "dollar and backtick", "$HOME`x`" },
        { "percent", "100%" },
        { "dot prefix", "..dots" },
        { "non-ASCII NFC", "caf\u00e9 \u65e5\u672c" },
        { "non-ASCII NFD", "cafe\u0301" },
        { "255 ASCII bytes", new string('n', 255) },
        { "255 UTF-8 bytes", new string('\u00e9', 127) + "x" },
    };

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task Awkward_names_sync_as_files_and_as_directories(string description, string name)
    {
        _ = description;
        Source.WriteFile("d/neighbour", "n");
        await _mirror.SyncAsync(Full);

        // As a file: created, changed, deleted.
        Source.WriteFile("d/" + name, "file");
        await _mirror.SyncAsync(Batch(Named("d", (name, Modified))));
        _mirror.AssertInSync();
        Source.WriteFile("d/" + name, "edit");
        await _mirror.SyncAsync(Batch(Named("d", (name, Modified))));
        _mirror.AssertInSync();
        Source.Delete("d/" + name);
        await _mirror.SyncAsync(Batch(Named("d", (name, Removed))));
        _mirror.AssertInSync();

        // As a directory with a file inside: created whole, a file below it changed and deleted, then deleted whole.
        Source.WriteFile("d/" + name + "/inner/file", "inside");
        await _mirror.SyncAsync(Batch(Recursive("d/" + name)));
        _mirror.AssertInSync();
        Source.WriteFile("d/" + name + "/inner/second", "2");
        Source.Delete("d/" + name + "/inner/file");
        await _mirror.SyncAsync(Batch(Named("d/" + name + "/inner", ("second", Modified), ("file", Removed))));
        _mirror.AssertInSync();
        Source.Delete("d/" + name);
        await _mirror.SyncAsync(Batch(Named("d", (name, Removed))));
        _mirror.AssertInSync();
    }

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task Awkward_top_level_directory_names_lead_a_file_list(string description, string name)
    {
        // Churn seed 791397: rsync read the files-from line ";z/n0/…" as a comment and a file below ";z" kept its
        // old mtime for good. Here the awkward name is the first thing on each line.
        _ = description;
        Source.WriteFile(name + "/file", "first");
        await _mirror.SyncAsync(Full);
        Source.WriteFile(name + "/file", "second, longer");
        Source.WriteFile(name + "/new", "new");
        var batch = Batch(Named(name, ("file", Modified), ("new", Modified)));
        Create(batch, _mirror.Sync, _mirror.NodeConfig).Shape.Should().Be(RsyncShape.FileList);

        await _mirror.SyncAsync(batch);

        _mirror.AssertInSync();
    }

    [Fact]
    public async Task Nfc_and_nfd_spellings_are_distinct_names()
    {
        var nfc = "caf\u00e9";
        var nfd = "cafe\u0301";
        Source.WriteFile("d/" + nfc, "composed");
        Source.WriteFile("d/" + nfd, "decomposed");

        await _mirror.SyncAsync(Batch(Named("d", (nfc, Modified), (nfd, Modified))));
        _mirror.AssertInSync();

        Source.Delete("d/" + nfd);
        await _mirror.SyncAsync(Batch(Named("d", (nfd, Removed))));
        _mirror.AssertInSync();
        File.ReadAllText(Node.PathOf("d/" + nfc)).Should().Be("composed");
    }

    [Theory]
    [InlineData("we]ird")]
    [InlineData("back\\slash")]
    [InlineData("[x]")]
    [InlineData("a*b?c")]
    public async Task Deletes_below_directories_with_pattern_characters_reach_the_node(string directory)
    {
        // lsyncd #386 (a name with ']' silently skipped) and #516 (deletes lost below a directory with '\').
        Source.WriteFile(directory + "/file", "f");
        Source.WriteFile(directory + "/sub/deep/file", "d");
        Source.WriteFile(directory + "/stays", "s");
        await _mirror.SyncAsync(Full);
        Source.Delete(directory + "/file");
        Source.Delete(directory + "/sub");
        Source.WriteFile(directory + "/stays", "changed");

        await _mirror.SyncAsync(Batch(Named(directory, ("file", Removed), ("sub", Removed), ("stays", Modified))));

        _mirror.AssertInSync();
    }

    [Fact]
    public async Task Excludes_are_not_sent_and_protect_files_on_the_node()
    {
        _mirror.Sync = _mirror.Sync with { Filter = Filters.Excluding(["*.tmp", "/cache/"]) };
        Source.WriteFile("a/file", "f");
        Source.WriteFile("a/scratch.tmp", "not to be sent");
        Source.WriteFile("cache/blob", "not to be sent");
        Node.WriteFile("a/node-only.tmp", "the node's own");
        Node.WriteFile("cache/node-blob", "the node's own");
        Node.WriteFile("a/gone/x.tmp", "protected inside a removed directory");
        Node.WriteFile("a/gone/y", "deleted");

        await _mirror.SyncAsync(Batch(Named("", ("cache", Modified)), Named("a", ("file", Modified), ("scratch.tmp", Modified), ("node-only.tmp", Removed), ("gone", Removed))));

        File.ReadAllText(Node.PathOf("a/file")).Should().Be("f");
        Node.Exists("a/scratch.tmp").Should().BeFalse();
        Node.Exists("cache/blob").Should().BeFalse();
        Node.Exists("a/node-only.tmp").Should().BeTrue();
        Node.Exists("cache/node-blob").Should().BeTrue();
        Node.Exists("a/gone/x.tmp").Should().BeTrue();
        Node.Exists("a/gone/y").Should().BeFalse();
    }

    [Fact]
    public async Task Include_rules_send_only_what_they_include_and_protect_the_rest_in_every_shape_of_batch()
    {
        _mirror.Sync = _mirror.Sync with { Filter = new PathFilter(Filters.Rules(["+ */", "+ *.txt", "- *"])) };
        Source.WriteFile("a/x.txt", "x");
        Source.WriteFile("a/y.bin", "not to be sent");
        Source.WriteFile("a/sub/z.txt", "z");
        Source.WriteFile("a/sub/w.bin", "not to be sent");
        await _mirror.SyncAsync(Full);
        Node.WriteFile("a/node.bin", "the node's own");
        Node.WriteFile("gone/keep.bin", "protected inside a removed directory");
        Node.WriteFile("gone/old.txt", "deleted");

        Source.WriteFile("a/x.txt", "x, changed");
        Source.WriteFile("a/new.bin", "listed, but excluded");
        Source.Delete("a/sub/z.txt");
        Source.WriteFile("n/p.txt", "p");
        Source.WriteFile("n/q.bin", "not to be sent");
        Source.WriteFile("n/deep/r.txt", "r");
        await _mirror.SyncAsync(Batch(
            Named("a", ("x.txt", Modified), ("new.bin", Modified)),
            Named("a/sub", ("z.txt", Removed)),
            Named("", ("gone", Removed)),
            Recursive("n")));

        File.ReadAllText(Node.PathOf("a/x.txt")).Should().Be("x, changed");
        Node.Exists("a/new.bin").Should().BeFalse();
        Node.Exists("a/y.bin").Should().BeFalse();
        Node.Exists("a/node.bin").Should().BeTrue();
        Node.Exists("a/sub/z.txt").Should().BeFalse();
        Node.Exists("a/sub/w.bin").Should().BeFalse();
        Node.Exists("gone/keep.bin").Should().BeTrue();
        Node.Exists("gone/old.txt").Should().BeFalse();
        File.ReadAllText(Node.PathOf("n/p.txt")).Should().Be("p");
        File.ReadAllText(Node.PathOf("n/deep/r.txt")).Should().Be("r");
        Node.Exists("n/q.bin").Should().BeFalse();
    }

    [Fact]
    public async Task An_anchored_subtree_rule_keeps_batches_inside_the_subtree()
    {
        _mirror.Sync = _mirror.Sync with { Filter = new PathFilter(Filters.Rules(["+ /src/***", "- *"])) };
        Source.WriteFile("src/lib/a.c", "a");
        Source.WriteFile("top.txt", "not to be sent");
        Source.WriteFile("other/b.c", "not to be sent");

        var batch = Batch(Named("src/lib", ("a.c", Modified)), Named("", ("top.txt", Modified), ("src", Modified)), Recursive("other"));
        var command = Create(batch, _mirror.Sync, _mirror.NodeConfig);
        await _mirror.SyncAsync(batch);

        command.IncludePatterns.Should().NotContain(p => p.Contains("other", StringComparison.Ordinal) || p.Contains("top.txt", StringComparison.Ordinal));
        File.ReadAllText(Node.PathOf("src/lib/a.c")).Should().Be("a");
        Node.Exists("top.txt").Should().BeFalse();
        Node.Exists("other").Should().BeFalse();
    }

    [Fact]
    public async Task Same_size_rewrites_are_always_sent()
    {
        // Rapid rewrites of the same size: rsync's quick check (size + mtime) cannot see them when the mtimes are
        // equal (same second; or same coarse kernel tick even with --modify-window=-1).
        var random = new Random(42);
        var bytes = new byte[64];
        Source.WriteFile("hot/file", bytes);
        await _mirror.SyncAsync(Full);
        for (var round = 0; round < 50; round++)
        {
            random.NextBytes(bytes);
            Source.WriteFile("hot/file", bytes);
            await _mirror.SyncAsync(Batch(Named("hot", ("file", Modified))));
            File.ReadAllBytes(Node.PathOf("hot/file")).Should().Equal(bytes, "round {0}", round);
        }
    }

    [Fact]
    public async Task Full_sync_sends_a_same_size_rewrite_made_in_the_same_second()
    {
        // What the churn test caught: the node's copy and the rewrite share the second and the size; only the
        // nanoseconds differ. The full sync runs after lost events (restart, overflow), so it must send it.
        var path = Source.WriteFile("hot/file", "AAAA");
        await RunAsync("/usr/bin/touch", "-m", "-d", "2001-02-03 04:05:06.100000000", path);
        await _mirror.SyncAsync(Full);
        File.WriteAllText(path, "BBBB");
        await RunAsync("/usr/bin/touch", "-m", "-d", "2001-02-03 04:05:06.900000000", path);

        await _mirror.SyncAsync(Full);

        File.ReadAllText(Node.PathOf("hot/file")).Should().Be("BBBB");
        File.GetLastWriteTimeUtc(Node.PathOf("hot/file")).Should().Be(File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task Same_size_rewrite_with_an_identical_mtime_is_sent()
    {
        // The worst case made deterministic: same size and the very same mtime, to the nanosecond (two writes
        // within one coarse kernel clock tick).
        var path = Source.WriteFile("hot/file", "AAAA");
        await _mirror.SyncAsync(Full);
        await RewriteKeepingMtimeAsync(path, "BBBB");

        // Neither the quick check (the full-sync shape) nor nanosecond mtimes can see it.
        await _mirror.SyncAsync(Full);
        File.ReadAllText(Node.PathOf("hot/file")).Should().Be("AAAA");
        var narrow = Create(Batch(Named("hot", ("file", Modified))), _mirror.Sync, _mirror.NodeConfig);
        var nanoseconds = narrow.Arguments.Select(a => a == "--checksum" ? "--modify-window=-1" : a).ToList();
        (await new ProcessRunner(TimeSpan.FromSeconds(1)).RunAsync(narrow.FileName, nanoseconds, narrow.StandardInput, CancellationToken.None)).ExitCode.Should().Be(0);
        File.ReadAllText(Node.PathOf("hot/file")).Should().Be("AAAA");

        // The narrow command (--checksum) does.
        await _mirror.SyncAsync(Batch(Named("hot", ("file", Modified))));
        File.ReadAllText(Node.PathOf("hot/file")).Should().Be("BBBB");
    }

    [Theory]
    [InlineData("hot", RsyncShape.FileList)]
    [InlineData("", RsyncShape.IncludeList)]
    public async Task A_touch_within_the_same_second_as_the_last_sync_reaches_the_node(string directory, RsyncShape shape)
    {
        // rsync compares whole seconds by default; with --checksum it sets an up-to-date file's mtime to the nanosecond.
        string relative = directory.Length == 0 ? "file" : directory + "/file";
        var path = Source.WriteFile(relative, "same content");
        await RunAsync("/usr/bin/touch", "-m", "-d", "2001-02-03 04:05:06.419426246", path);
        await _mirror.SyncAsync(Full);
        await RunAsync("/usr/bin/touch", "-m", "-d", "2001-02-03 04:05:06.599912787", path);
        var batch = Batch(Named(directory, ("file", Modified)));
        Create(batch, _mirror.Sync, _mirror.NodeConfig).Shape.Should().Be(shape);

        await _mirror.SyncAsync(batch);

        File.GetLastWriteTimeUtc(Node.PathOf(relative)).Should().Be(File.GetLastWriteTimeUtc(path));
        _mirror.AssertInSync();
    }

    private static async Task RewriteKeepingMtimeAsync(string path, string content)
    {
        // .NET's timestamps have 100 ns resolution; touch -r copies the full nanoseconds.
        using var reference = new TempTree();
        await RunAsync("/usr/bin/touch", "-r", path, reference.PathOf("stamp"));
        File.WriteAllText(path, content);
        await RunAsync("/usr/bin/touch", "-r", reference.PathOf("stamp"), path);
    }

    private static async Task RunAsync(string fileName, params string[] arguments)
    {
        var result = await new ProcessRunner(TimeSpan.FromSeconds(1)).RunAsync(fileName, arguments, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        result.ExitCode.Should().Be(0, result.StandardError);
    }

    [Fact]
    public async Task Full_sync_makes_the_node_equal_and_reports_stats()
    {
        Source.WriteFile("a/b/c", "123");
        Source.WriteFile("d", "4567");
        File.CreateSymbolicLink(Source.PathOf("link"), "a/b/c");
        File.SetUnixFileMode(Source.PathOf("d"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Node.WriteFile("extra/file", "x");

        var result = await _mirror.SyncAsync(Full);

        _mirror.AssertInSync();
        RsyncStats.Parse(result.StandardOutput).Should().Be(new RsyncStats(2, 7));
    }

    [Fact]
    public async Task Root_recursive_job_syncs_everything()
    {
        Source.WriteFile("a/b", "1");
        Source.WriteFile("c", "2");
        Node.WriteFile("stale", "3");

        await _mirror.SyncAsync(Batch(Recursive("")));

        _mirror.AssertInSync();
    }

    [Fact]
    public async Task Shell_string_reproduces_the_run_when_pasted_into_sh()
    {
        string[] names = ["it's", "new\nline", "st*r", "back\\slash", "we]ird", "$HOME", "-x", "caf\u00e9"];
        foreach (var name in names)
        {
            Source.WriteFile("d/" + name, name);
        }

        var written = Create(Batch(Named("d", names.Select(n => (n, Modified)).ToArray())), _mirror.Sync, _mirror.NodeConfig);
        written.Shape.Should().Be(RsyncShape.FileList);
        await RunInShellAsync(written);
        _mirror.AssertInSync();

        foreach (var name in names[..4])
        {
            Source.Delete("d/" + name);
        }

        var removed = Create(Batch(Named("d", names[..4].Select(n => (n, Removed)).ToArray())), _mirror.Sync, _mirror.NodeConfig);
        removed.Shape.Should().Be(RsyncShape.IncludeList);
        await RunInShellAsync(removed);
        _mirror.AssertInSync();

        static async Task RunInShellAsync(RsyncCommand command)
        {
            var shell = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command.ToShellString() }, RedirectStandardOutput = true };
            using var process = Process.Start(shell)!;
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.ExitCode.Should().Be(0);
        }
    }

    [Fact]
    public async Task Root_attribute_change_alone_syncs_the_root_directory_only()
    {
        Source.WriteFile("a", "not listed");
        File.SetUnixFileMode(Source.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var batch = Batch(Named(""));
        var command = Create(batch, _mirror.Sync, _mirror.NodeConfig);
        command.IncludePatterns.Should().Equal("- /*");
        command.ToShellString().Should().StartWith("printf '%s\\0' '- /*' | ");

        await _mirror.SyncAsync(batch);

        new DirectoryInfo(Node.Root).UnixFileMode.Should().Be(new DirectoryInfo(Source.Root).UnixFileMode);
        Node.Exists("a").Should().BeFalse();
    }

    [Fact]
    public void Narrow_command_has_the_documented_shape()
    {
        var node = LocalNode("/node/root", extra: ["-z", "--delete-excluded"], speedLimit: 250);
        var sync = CreateSync("/src", [node], ["*.o"]);

        var command = Create(Batch(Named("a/b", ("f", Modified), ("g", Removed)), Recursive("c/d")), sync, node);

        command.Arguments.Should().Equal(
            "-a", "--delete", "--force", "--checksum", "--stats", "-z", "--bwlimit=250",
            "--from0", "--include-from=-", "--filter=- *.o", "/src/", "/node/root/");
        command.IncludePatterns.Should().Equal(
            "+ /a/", "+ /a/b/", "+ /a/b/f", "+ /a/b/g", "+ /c/", "+ /c/d/", "- /*", "- /a/*", "- /a/b/*", "- /a/b/f/*", "- /c/*");
        Encoding.UTF8.GetString(command.StandardInput.Span).Should().Be(
            "+ /a/\0+ /a/b/\0+ /a/b/f\0+ /a/b/g\0+ /c/\0+ /c/d/\0- /*\0- /a/*\0- /a/b/*\0- /a/b/f/*\0- /c/*\0");
        command.FullSync.Should().BeFalse();
    }

    [Fact]
    public void Written_names_below_the_root_go_out_as_a_file_list()
    {
        var node = LocalNode("/node/root", extra: ["-z", "--delete-excluded"], speedLimit: 250);
        var sync = CreateSync("/src", [node], ["*.o"]);

        var command = Create(Batch(Named("a/b", ("g", Modified), ("f", Modified)), Named("c", ("d", Modified))), sync, node);

        command.Shape.Should().Be(RsyncShape.FileList);
        command.Arguments.Should().Equal(
            "-a", "--dirs", "--force", "--checksum", "--stats", "-z", "--bwlimit=250", "--filter=- *.o",
            "--ignore-missing-args", "--from0", "--files-from=-", "/src/", "/node/root/");
        command.FileList.Should().Equal("./a/b", "./a/b/f", "./a/b/g", "./c", "./c/d");
        command.IncludePatterns.Should().BeEmpty();
        Encoding.UTF8.GetString(command.StandardInput.Span).Should().Be("./a/b\0./a/b/f\0./a/b/g\0./c\0./c/d\0");
    }

    public static TheoryData<string, string[]> BatchesThatNeedTheIncludeList() => new()
    {
        { "a removed name", ["a:f:removed"] },
        { "a name written and removed", ["a:f:both"] },
        { "a new directory", ["a/new:recursive"] },
        { "a name at the root", [":f:modified"] },
        { "the root's own attributes", [":"] },
        { "a removal beside a write", ["a:f:modified", "b:g:removed"] },
    };

    [Theory]
    [MemberData(nameof(BatchesThatNeedTheIncludeList))]
    public void Removals_new_directories_and_the_root_keep_the_include_list(string description, string[] jobs)
    {
        _ = description;
        var batch = Batch([.. jobs.Select(ParseJob)]);

        Create(batch, _mirror.Sync, _mirror.NodeConfig).Shape.Should().Be(RsyncShape.IncludeList);

        static DirectoryJob ParseJob(string job)
        {
            var parts = job.Split(':');
            if (parts.Length == 2)
            {
                return parts[1] == "recursive" ? Recursive(parts[0]) : Named(parts[0]);
            }

            var change = parts[2] switch { "removed" => Removed, "both" => Modified | Removed, _ => Modified };
            return Named(parts[0], (parts[1], change));
        }
    }

    [Theory]
    [InlineData("-r", false)]
    [InlineData("-avr", false)]
    [InlineData("--recursive", false)]
    [InlineData("--delete-after", false)]
    [InlineData("--del", false)]
    [InlineData("--delete-missing-args", false)]
    [InlineData("--no-relative", false)]
    [InlineData("--no-R", false)]
    [InlineData("--no-implied-dirs", false)]
    [InlineData("--files-from=/etc/list", false)]
    [InlineData("-a", true)]
    [InlineData("-avz", true)]
    [InlineData("-e", true)]
    [InlineData("ssh -p 2222", true)]
    [InlineData("--rsh=ssh -p 2222", true)]
    [InlineData("--numeric-ids", true)]
    [InlineData("--chmod=D755", true)]
    public void User_arguments_that_change_what_a_file_list_means_keep_the_include_list(string extra, bool fileList)
    {
        var node = LocalNode("/node/root", extra: [extra]);
        var sync = CreateSync("/src", [node], []);

        var command = Create(Batch(Named("a", ("f", Modified))), sync, node);

        command.Shape.Should().Be(fileList ? RsyncShape.FileList : RsyncShape.IncludeList);
    }

    [Fact]
    public async Task File_list_deletes_nothing_and_skips_a_name_already_gone()
    {
        Source.WriteFile("a/kept", "k");
        Source.WriteFile("a/gone", "g");
        await _mirror.SyncAsync(Full);
        Source.Delete("a/gone");
        Source.WriteFile("a/new", "n");
        Node.WriteFile("a/node-only", "unlisted");

        // "gone" vanished between its event and the rsync: skipped, not an error; its removal is the next batch.
        await _mirror.SyncAsync(Batch(Named("a", ("gone", Modified), ("new", Modified))));

        File.ReadAllText(Node.PathOf("a/new")).Should().Be("n");
        File.ReadAllText(Node.PathOf("a/gone")).Should().Be("g");
        Node.Exists("a/node-only").Should().BeTrue();
        Node.Delete("a/node-only");
        await _mirror.SyncAsync(Batch(Named("a", ("gone", Removed))));
        _mirror.AssertInSync();
    }

    [Fact]
    public async Task File_list_sends_a_listed_directory_without_its_content()
    {
        Source.WriteFile("a/dir/inside", "i");
        await _mirror.SyncAsync(Full);
        Source.WriteFile("a/dir/unlisted", "u");
        File.SetUnixFileMode(Source.PathOf("a/dir"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await _mirror.SyncAsync(Batch(Named("a", ("dir", Modified))));

        new DirectoryInfo(Node.PathOf("a/dir")).UnixFileMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Node.Exists("a/dir/unlisted").Should().BeFalse("--dirs sends a listed directory's entry, not its content");
    }

    [Fact]
    public async Task File_list_creates_missing_parents_with_their_attributes_and_replaces_a_directory_with_a_file()
    {
        Source.WriteFile("p/q/r/file", "f");
        Source.WriteFile("p/thing", "a file now");
        Node.WriteFile("p/thing/deep/inside", "a directory on the node");
        Directory.SetLastWriteTimeUtc(Source.PathOf("p/q"), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(Source.PathOf("p"), new DateTime(2021, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        await _mirror.SyncAsync(Batch(Named("p/q/r", ("file", Modified)), Named("p", ("thing", Modified))));

        File.ReadAllText(Node.PathOf("p/q/r/file")).Should().Be("f");
        File.ReadAllText(Node.PathOf("p/thing")).Should().Be("a file now");
        Directory.GetLastWriteTimeUtc(Node.PathOf("p/q")).Should().Be(Directory.GetLastWriteTimeUtc(Source.PathOf("p/q")));
        Directory.GetLastWriteTimeUtc(Node.PathOf("p")).Should().Be(Directory.GetLastWriteTimeUtc(Source.PathOf("p")));
    }

    [Fact]
    public async Task File_list_leaves_out_excluded_names()
    {
        _mirror.Sync = _mirror.Sync with { Filter = Filters.Excluding(["*.tmp", "/a/cache/"]) };
        Source.WriteFile("a/file", "f");
        Source.WriteFile("a/scratch.tmp", "not to be sent");
        Source.WriteFile("a/cache", "a file, so the directory rule does not apply");

        var command = Create(Batch(Named("a", ("file", Modified), ("scratch.tmp", Modified), ("cache", Modified))), _mirror.Sync, _mirror.NodeConfig);
        command.Shape.Should().Be(RsyncShape.FileList);
        await _mirror.SyncAsync(Batch(Named("a", ("file", Modified), ("scratch.tmp", Modified), ("cache", Modified))));

        File.ReadAllText(Node.PathOf("a/file")).Should().Be("f");
        File.ReadAllText(Node.PathOf("a/cache")).Should().Be("a file, so the directory rule does not apply");
        Node.Exists("a/scratch.tmp").Should().BeFalse();
    }

    [Fact]
    public void Full_sync_command_has_no_include_list()
    {
        var node = LocalNode("/node/root", extra: ["--delete-excluded"]);
        var sync = CreateSync("/src", [node], ["*.o"]);

        var command = Create(Full, sync, node);

        command.Arguments.Should().Equal("-a", "--delete", "--modify-window=-1", "--stats", "--delete-excluded", "--filter=- *.o", "/src/", "/node/root/");
        command.IncludePatterns.Should().BeEmpty();
        command.StandardInput.IsEmpty.Should().BeTrue();
        command.ToShellString().Should().Be("/usr/bin/rsync -a --delete --modify-window=-1 --stats --delete-excluded '--filter=- *.o' /src/ /node/root/");
    }

    [Fact]
    public void Daemon_nodes_get_their_password_file()
    {
        var daemon = new NodeConfig("host::mod", NodeKind.RsyncDaemon, "host::mod/dir", [], 0, "/etc/pw", MoveStrategy.Transfer, "t:1:1");
        var ssh = daemon with { Kind = NodeKind.Ssh, Target = "host:/dir" };
        var sync = CreateSync("/src", [daemon, ssh], []);

        Create(Full, sync, daemon).Arguments.Should().Contain("--password-file=/etc/pw").And.EndWith(["/src/", "host::mod/dir/"]);
        Create(Full, sync, ssh).Arguments.Should().NotContain(a => a.StartsWith("--password-file", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/a/b", "", "/a/b")]
    [InlineData("/we]ird", "", "/we]ird")]
    [InlineData("/back\\slash", "", "/back\\slash")]
    [InlineData("/we]ird", "/***", "/we\\]ird/***")]
    [InlineData("/back\\slash", "/***", "/back\\\\slash/***")]
    [InlineData("/st*r", "", "/st\\*r")]
    [InlineData("/[x]\\?", "/", "/\\[x\\]\\\\\\?/")]
    public void Patterns_are_escaped_only_when_rsync_treats_them_as_wildcards(string path, string suffix, string expected) =>
        IncludeFilter.ToPattern(path, suffix).Should().Be(expected);

    [Fact]
    public void Include_list_renders_control_characters_visibly()
    {
        var command = Create(Batch(Named("", ("new\nline", Modified), ("tab\t", Modified))), _mirror.Sync, _mirror.NodeConfig);

        command.Shape.Should().Be(RsyncShape.IncludeList, "names at the root keep the include list");
        command.DescribeStandardInput().Should().Equal("+ /new\\nline", "+ /tab\\t", "- /*", "- /new\\nline/*", "- /tab\\t/*");
    }

    [Fact]
    public async Task Names_that_are_not_utf8_reach_rsync_as_their_exact_bytes()
    {
        // "caf\xe9" (Latin-1) and "d\xff": the watcher hands them over as lone surrogates (FileNameEncoding).
        string file = FileNameEncoding.GetString([.. "caf"u8, 0xE9]);
        string directory = FileNameEncoding.GetString([.. "d"u8, 0xFF]);
        RawFileSystem.CreateDirectory(Source.PathOf("x"));
        RawFileSystem.WriteFile(Source.PathOf("x") + "/" + file, "latin-1"u8);
        RawFileSystem.CreateDirectory(Source.PathOf("x") + "/" + directory);
        RawFileSystem.WriteFile(Source.PathOf("x") + "/" + directory + "/f", "inside"u8);
        await _mirror.SyncAsync(Full);

        RawFileSystem.WriteFile(Source.PathOf("x") + "/" + file, "changed"u8);
        RawFileSystem.WriteFile(Source.PathOf("x") + "/" + directory + "/f", "changed too"u8);
        var batch = Batch(Named("x", (file, Modified)), Named("x/" + directory, ("f", Modified)));
        var command = Create(batch, _mirror.Sync, _mirror.NodeConfig);

        command.Shape.Should().Be(RsyncShape.FileList);
        command.StandardInput.ToArray().Should().Equal([.. "./x\0./x/caf"u8, 0xE9, .. "\0./x/d"u8, 0xFF, .. "\0./x/d"u8, 0xFF, .. "/f\0"u8]);
        command.DescribeStandardInput().Should().Equal("./x", "./x/caf\\xe9", "./x/d\\xff", "./x/d\\xff/f");
        command.ToShellString().Should().StartWith("printf '%s\\0' ./x './x/caf'\"$(printf '\\351')\"''");
        await _mirror.SyncAsync(batch);
        RawFileSystem.ReadFile(Node.PathOf("x") + "/" + file).Should().Equal("changed"u8.ToArray());
        RawFileSystem.ReadFile(Node.PathOf("x") + "/" + directory + "/f").Should().Equal("changed too"u8.ToArray());

        // The same names removed: the include list, with the same bytes.
        RawFileSystem.DeleteFile(Node.PathOf("x") + "/" + directory + "/f");
        RawFileSystem.DeleteFile(Source.PathOf("x") + "/" + file);
        var removal = Batch(Named("x", (file, Removed)), Named("x/" + directory, ("f", Modified)));
        var include = Create(removal, _mirror.Sync, _mirror.NodeConfig);
        include.Shape.Should().Be(RsyncShape.IncludeList);
        include.StandardInput.ToArray().Should().StartWith([.. "+ /x/\0+ /x/caf"u8, 0xE9, .. "\0+ /x/d"u8, 0xFF, .. "/\0+ /x/d"u8, 0xFF, .. "/f\0"u8]);
        include.DescribeStandardInput().Should().Equal(
            "+ /x/", "+ /x/caf\\xe9", "+ /x/d\\xff/", "+ /x/d\\xff/f", "- /*", "- /x/*", "- /x/d\\xff/*", "- /x/d\\xff/f/*");
        await _mirror.SyncAsync(removal);
        _mirror.AssertInSync();
    }

    [Fact]
    public void Empty_batch_is_refused() =>
        FluentActions.Invoking(() => Create(SyncBatch.Empty, _mirror.Sync, _mirror.NodeConfig)).Should().Throw<ArgumentException>();

    /// <summary>The tests' trees are written by root only, so file lists are allowed (see <see cref="FileListSafety"/>).</summary>
    private static RsyncCommand Create(SyncBatch batch, SyncConfig sync, NodeConfig node) =>
        RsyncCommand.Create(batch, sync, node, fileListSafe: true);
}
