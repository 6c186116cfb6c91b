using Inosync.Coalescing;
using Inosync.Filtering;
using Inosync.Testing;
using Inosync.Tests.Support;
using Inosync.Transfer;

namespace Inosync.Tests.Transfer;

/// <summary>What one batch becomes in lftp's command language, decided on a real source tree.</summary>
public sealed class LftpCommandsTests : IDisposable
{
    private readonly TempTree _tree = new("inosync-lftp-");

    public void Dispose() => _tree.Dispose();

    private string Root => _tree.Root + "/";

    [Fact]
    public void A_name_job_removes_missing_names_makes_directories_and_mirrors_files_and_links_by_exact_name()
    {
        _tree.WriteFile("d/file.txt", "f");
        _tree.WriteFile("d/-dash [x].log", "excluded");
        Directory.CreateDirectory(_tree.PathOf("d/new dir"));
        File.CreateSymbolicLink(_tree.PathOf("d/link"), "/etc/shadow");
        File.CreateSymbolicLink(_tree.PathOf("d/dirlink"), "/etc");
        Shell("mkfifo \"$1\"", _tree.PathOf("d/fifo"));
        var job = new DirectoryJob("d", false, new Dictionary<string, NameChange>
        {
            ["file.txt"] = NameChange.Modified,
            ["-dash [x].log"] = NameChange.Modified,
            ["new dir"] = NameChange.Modified,
            ["link"] = NameChange.Modified,
            ["dirlink"] = NameChange.Modified | NameChange.Removed,
            ["fifo"] = NameChange.Modified,
            ["gone \"q\""] = NameChange.Removed,
            ["gone.log"] = NameChange.Removed,
            ["line\nbreak"] = NameChange.Modified,
        });

        var (commands, unsendable) = NameCommands(job, new PathFilter(Filters.Rules(["- *.log"])), ftp: false);

        commands.Should().Equal(
            "rm -r -f \"./d/dirlink\"",
            "rm -r -f \"./d/gone \\\"q\\\"\"",
            "rm -f \"./d/link\" || echo -n",
            "mkdir -f \"./d/new dir\" || echo -n",
            "mirror -R -v -r --transfer-all --ignore-size -i \"^(dirlink|file\\\\.txt|link)$\" \"" + Root + "d\" \"./d\"");
        unsendable.Should().Equal("d/line\nbreak");
    }

    [Fact]
    public void Ftp_leaves_symbolic_links_out_and_refused_names_are_reported_not_sent()
    {
        _tree.WriteFile("back\\slash", "b");
        _tree.WriteFile("ok", "o");
        var job = new DirectoryJob("", false, new Dictionary<string, NameChange> { ["back\\slash"] = NameChange.Modified, ["ok"] = NameChange.Modified });
        var commands = new LftpCommands(Root, PathFilter.None, ftp: true, new HashSet<string> { "back\\slash" });
        var script = Script();

        commands.AddNames(script, job);

        script.Commands.Should().Equal("mirror -R -v -r --transfer-all --no-symlinks --no-perms -i \"^(ok)$\" \"" + Root + ".\" \".\"");
        commands.Unsendable.Should().Equal("back\\slash");
    }

    [Fact]
    public void Ftp_leaves_out_names_servers_would_change_and_everything_below_them()
    {
        foreach (string name in new[] { " lead", "tab\tname", "fine name" })
        {
            _tree.WriteFile(name, "x");
        }

        _tree.WriteFile("trail /inside", "y");
        var commands = new LftpCommands(Root, PathFilter.None, ftp: true, new HashSet<string>());
        var script = Script();

        commands.AddNames(script, new DirectoryJob("", false, new Dictionary<string, NameChange>
        {
            [" lead"] = NameChange.Modified, ["trail "] = NameChange.Modified, ["tab\tname"] = NameChange.Modified, ["fine name"] = NameChange.Modified,
        }));
        commands.AddNames(script, new DirectoryJob("trail ", false, new Dictionary<string, NameChange> { ["inside"] = NameChange.Modified }));
        commands.AddTree(script, "", [], delete: true);

        script.Commands.Should().Equal(
            "mirror -R -v -r --transfer-all --no-symlinks --no-perms -i \"^(fine name)$\" \"" + Root + ".\" \".\"",
            "mirror -R -v --no-symlinks --no-perms --upload-older -e -x \"(^|/)([^/]*[[:cntrl:]][^/]*| [^/]*|[^/]* )/?$\" \"" + Root + "./.\" \".\"");
        commands.Unsendable.Should().Equal(" lead", "tab\tname", "trail ", "trail ");
    }

    [Fact]
    public void A_directory_below_a_name_the_server_refused_is_left_out_not_mirrored()
    {
        // Found by the FTP awkward-names test: "dirs/back\slash" as its own recursive job failed every batch with
        // "553 Prohibited file name", so nothing else in the batch ever reached the node.
        Directory.CreateDirectory(_tree.PathOf("dirs/back\\slash/sub"));
        var commands = new LftpCommands(Root, PathFilter.None, ftp: true, new HashSet<string> { "back\\slash" });
        var script = Script();

        commands.AddTree(script, "dirs/back\\slash", [], delete: true);
        commands.AddNames(script, new DirectoryJob("dirs/back\\slash/sub", false, new Dictionary<string, NameChange> { ["f"] = NameChange.Modified }));

        script.Commands.Should().BeEmpty();
        commands.Unsendable.Should().Equal("dirs/back\\slash", "dirs/back\\slash/sub");
    }

    [Fact]
    public void A_file_that_became_a_directory_the_rules_exclude_is_removed_from_the_server()
    {
        // Found by the SFTP churn (seed 396658): with "- n7/", a file n7 turned into a directory stayed on the node.
        Directory.CreateDirectory(_tree.PathOf("n7"));
        var commands = new LftpCommands(Root, new PathFilter(Filters.Rules(["- n7/"])), ftp: false, new HashSet<string>());
        var script = Script();

        commands.AddNames(script, new DirectoryJob("", false, new Dictionary<string, NameChange> { ["n7"] = NameChange.Removed | NameChange.Modified }));

        script.Commands.Should().Equal("rm -f \"./n7\" || echo -n");
    }

    [Fact]
    public void A_file_moved_away_from_a_name_the_rules_exclude_as_a_directory_is_removed_from_the_server()
    {
        // Found by the SFTP churn (seed 396658): with "- n7/", a file n7 moved away stayed on the node; rsync deletes it.
        var commands = new LftpCommands(Root, new PathFilter(Filters.Rules(["- n7/"])), ftp: false, new HashSet<string>());
        var script = Script();

        commands.AddNames(script, new DirectoryJob("", false, new Dictionary<string, NameChange> { ["n7"] = NameChange.Removed }));

        script.Commands.Should().Equal("rm -f \"./n7\" || echo -n");
    }

    [Fact]
    public void Nothing_is_read_through_a_directory_swapped_for_a_symbolic_link()
    {
        Directory.CreateDirectory(_tree.PathOf("real"));
        File.CreateSymbolicLink(_tree.PathOf("swapped"), "/etc");
        var commands = new LftpCommands(Root, PathFilter.None, ftp: false, new HashSet<string>());
        var script = Script();

        commands.AddNames(script, new DirectoryJob("swapped", false, new Dictionary<string, NameChange> { ["passwd"] = NameChange.Modified }));
        commands.AddTree(script, "swapped/ssh", [], delete: true);
        commands.AddTree(script, "swapped", [], delete: true);

        // The link itself is made as a link, never followed.
        script.Commands.Should().Equal(
            "rm -r -f \"./swapped/ssh\"",
            "rm -r -f \"./swapped\"",
            "mirror -R -v -r --transfer-all --ignore-size -i \"^(swapped)$\" \"" + Root + ".\" \".\"");
    }

    [Fact]
    public void A_recursive_job_for_a_directory_that_is_now_a_file_sends_the_file_in_its_place()
    {
        // A batch that failed is merged back with newer changes, so its recursive job can outlive the directory.
        _tree.WriteFile("was-a-dir", "now a file");
        var commands = new LftpCommands(Root, PathFilter.None, ftp: true, new HashSet<string>());
        var script = Script();

        commands.AddTree(script, "was-a-dir", [], delete: true);
        commands.AddTree(script, "gone", [], delete: true);

        script.Commands.Should().Equal(
            "rm -r -f \"./was-a-dir\"",
            "mirror -R -v -r --transfer-all --no-symlinks --no-perms -i \"^(was-a-dir)$\" \"" + Root + ".\" \".\"",
            "rm -r -f \"./gone\"");
    }

    [Fact]
    public void A_tree_is_mirrored_with_deletions_and_the_excluded_paths_left_alone()
    {
        Directory.CreateDirectory(_tree.PathOf("site/cache"));
        var commands = new LftpCommands(Root, PathFilter.None, ftp: false, new HashSet<string>());
        var script = Script();

        commands.AddTree(script, "site", ["cache/", "a.log"], delete: true);
        commands.AddTree(script, "", [], delete: false);

        script.Commands.Should().Equal(
            "rm -f \"./site\" || echo -n",
            "mirror -R -v --ignore-size --upload-older -e -x \"^(cache/|a\\\\.log)$\" \"" + Root + "site/.\" \"./site\"",
            "mirror -R -v --ignore-size --upload-older \"" + Root + "./.\" \".\"");
    }

    [Fact]
    public void Verify_compares_sizes_on_sftp_too()
    {
        // --ignore-size is for sending (lftp 4.9.2 stalls on a file that grew since it was listed); a dry run sends nothing.
        var commands = new LftpCommands(Root, PathFilter.None, ftp: false, new HashSet<string>()) { DryRun = true };
        var script = Script();

        commands.AddTree(script, "", [], delete: true);

        script.Commands.Should().Equal("mirror -R --dry-run --upload-older -e \"" + Root + "./.\" \".\"");
    }

    [Fact]
    public void Files_changed_since_the_last_successful_run_go_again_by_exact_path_whatever_size_and_mtime_say()
    {
        _tree.WriteFile("d/old.txt", "o");
        _tree.WriteFile("d/sub/deeper/old.txt", "o");
        File.SetLastWriteTimeUtc(_tree.PathOf("d/old.txt"), DateTime.UtcNow.AddMinutes(-5));
        File.SetLastWriteTimeUtc(_tree.PathOf("d/sub/deeper/old.txt"), DateTime.UtcNow.AddMinutes(-5));
        DateTimeOffset lastRun = DateTimeOffset.UtcNow.AddSeconds(-1);
        _tree.WriteFile("d/sub/deeper/new.txt", "n");
        _tree.WriteFile("d/new.swp", "excluded");
        var filter = new PathFilter(Filters.Rules(["- *.swp", "- n7/", "+ keep.log", "- *.log"]));
        var recent = new List<string>();

        List<string> excluded = ExcludedPaths.Find(Root, "d", filter, [], lastRun, recent);
        var commands = new LftpCommands(Root, filter, ftp: false, new HashSet<string>());
        var script = Script();
        commands.AddTree(script, "d", excluded, delete: true, recent);

        recent.Should().Equal("sub/deeper/new.txt");
        const string Patterns = " -x \"(^|/)[^/]*\\\\.swp/?$\" -x \"(^|/)n7/$\"";
        script.Commands.Should().Equal(
            "rm -f \"./d\" || echo -n",
            "mirror -R -v --ignore-size --upload-older -e -x \"^(new\\\\.swp)$\"" + Patterns + " \"" + Root + "d/.\" \"./d\"",
            "mirror -R -v --no-symlinks --ignore-size --transfer-all -i \"^(sub/deeper/new\\\\.txt)$\" -x \"^(new\\\\.swp)$\"" + Patterns + " \"" + Root + "d/.\" \"./d\"");
    }

    [Fact]
    public void Excluded_paths_come_from_both_sides_and_only_the_topmost()
    {
        _tree.WriteFile("w/keep.txt", "k");
        _tree.WriteFile("w/a.log", "l");
        _tree.WriteFile("w/cache/deep/x.txt", "c");
        _tree.WriteFile("w/sub/b.log", "l");
        var filter = new PathFilter(Filters.Rules(["- *.log", "- /w/cache/"]));

        List<string> excluded = ExcludedPaths.Find(Root, "w", filter, ["server.log", "sub/", "sub/old.log", "cache/", "cache/y", "kept"]);

        excluded.Should().Equal("a.log", "cache/", "server.log", "sub/b.log", "sub/old.log");
    }

    private static LftpScript Script() => LftpScript.Open(LftpSyntaxTests.FtpNode("sftp://u@h", Inosync.Configuration.FtpTls.Auto), null, null);

    private (IReadOnlyList<string> Commands, IReadOnlyList<string> Unsendable) NameCommands(DirectoryJob job, PathFilter filter, bool ftp)
    {
        var commands = new LftpCommands(Root, filter, ftp, new HashSet<string>());
        var script = Script();
        commands.AddNames(script, job);
        return ([.. script.Commands], commands.Unsendable);
    }

    private static void Shell(string script, string argument)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script, "sh", argument } })!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0);
    }
}
