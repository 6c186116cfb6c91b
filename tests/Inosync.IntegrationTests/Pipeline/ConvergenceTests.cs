using System.Text;
using Inosync.IntegrationTests.Support;

namespace Inosync.IntegrationTests.Pipeline;

/// <summary>
/// Real inotify, real rsync, the real executable, two local targets: every case ends with every target equal
/// to the source. Each case runs with the inotify watcher and with the portable (FileSystemWatcher) one.
/// </summary>
public sealed class ConvergenceTests
{
    public static TheoryData<string> Watchers => new() { "inotify", "portable" };

    private static Task<SyncScenario> StartAsync(string watcher, Action<SyncScenario>? prepare = null) =>
        SyncScenario.StartAsync(new ScenarioOptions { ExtraConfig = $"watcher = \"{watcher}\"", Prepare = prepare });

    [Theory]
    [MemberData(nameof(Watchers))]
    public async Task Created_modified_and_deleted_files_converge(string watcher)
    {
        await using var s = await StartAsync(watcher, p => File.WriteAllText(p.Src("old.txt"), "old"));

        File.WriteAllText(s.Src("a.txt"), "hello");
        File.WriteAllText(s.Src("b.txt"), "world");
        await s.ConvergedAsync();
        File.AppendAllText(s.Src("a.txt"), " again");
        File.Delete(s.Src("old.txt"));
        File.WriteAllText(s.Src("b.txt"), "WORLD");

        await s.ConvergedAsync();
    }

    [Theory]
    [MemberData(nameof(Watchers))]
    public async Task Mkdir_p_five_levels_then_files_at_once_converges(string watcher)
    {
        await using var s = await StartAsync(watcher);

        Directory.CreateDirectory(s.Src("a/b/c/d/e"));
        File.WriteAllText(s.Src("a/b/c/d/e/deep.txt"), "deep");
        File.WriteAllText(s.Src("a/b/mid.txt"), "mid");
        File.WriteAllText(s.Src("a/top.txt"), "top");

        await s.ConvergedAsync();
    }

    [Theory]
    [MemberData(nameof(Watchers))]
    public async Task Renamed_file_and_file_moved_across_directories_converge(string watcher)
    {
        await using var s = await StartAsync(watcher, p =>
        {
            Directory.CreateDirectory(p.Src("x"));
            Directory.CreateDirectory(p.Src("y/z"));
            File.WriteAllText(p.Src("x/one.txt"), "1");
            File.WriteAllText(p.Src("x/two.txt"), "2");
        });

        File.Move(s.Src("x/one.txt"), s.Src("x/uno.txt"));
        File.Move(s.Src("x/two.txt"), s.Src("y/z/dos.txt"));

        await s.ConvergedAsync();
    }

    [Theory]
    [MemberData(nameof(Watchers))]
    public async Task Renamed_directory_with_content_converges_and_stays_watched(string watcher)
    {
        await using var s = await StartAsync(watcher, p =>
        {
            Directory.CreateDirectory(p.Src("project/src/lib"));
            File.WriteAllText(p.Src("project/src/lib/a.c"), "int a;");
            File.WriteAllText(p.Src("project/readme"), "r");
        });

        Directory.Move(s.Src("project"), s.Src("renamed"));
        await s.ConvergedAsync();

        // Watched under its new name: a change deep inside it still reaches the targets.
        File.WriteAllText(s.Src("renamed/src/lib/b.c"), "int b;");
        await s.ConvergedAsync();
    }

    [Theory]
    [MemberData(nameof(Watchers))]
    public async Task Directory_moved_into_another_subtree_and_back_converges(string watcher)
    {
        await using var s = await StartAsync(watcher, p =>
        {
            Directory.CreateDirectory(p.Src("left/box/inner"));
            Directory.CreateDirectory(p.Src("right/deeper"));
            File.WriteAllText(p.Src("left/box/inner/f"), "f");
        });

        Directory.Move(s.Src("left/box"), s.Src("right/deeper/box"));
        await s.ConvergedAsync();
        File.WriteAllText(s.Src("right/deeper/box/inner/g"), "g");
        Directory.Move(s.Src("right/deeper/box"), s.Src("left/box"));
        File.WriteAllText(s.Src("left/box/inner/h"), "h");

        await s.ConvergedAsync();
    }

    [Theory]
    [MemberData(nameof(Watchers))]
    public async Task Deleted_subtree_converges(string watcher)
    {
        await using var s = await StartAsync(watcher, p =>
        {
            for (int i = 0; i < 5; i++)
            {
                Directory.CreateDirectory(p.Src($"tree/branch{i}/leaf"));
                File.WriteAllText(p.Src($"tree/branch{i}/leaf/file"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        });

        Directory.Delete(s.Src("tree"), recursive: true);

        await s.ConvergedAsync();
        Directory.Exists(Path.Combine(s.Targets[0], "tree")).Should().BeFalse();
    }

    /// <summary>Names that broke other rsync-based daemons: lsyncd skipped ']' (#386) and lost deletes under '\' (#516).</summary>
    public static TheoryData<string> AwkwardNames => new()
    {
        "with space", "new\nline", "tab\there", "-leading-dash", "--delete", "star*", "question?", "[bracket]", "close]",
        "back\\slash", "quote'single", "quote\"double", "ünïcödé", "e\u0301-nfd", "日本語", new string('n', 255),
        "***", "dir/***".Replace("/", "_", StringComparison.Ordinal), "$(touch pwned)", ";rm -rf x", "`tick`",
    };

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task Awkward_names_sync_as_files_and_directories_and_delete(string name)
    {
        await using var s = await StartAsync("inotify");

        File.WriteAllText(s.Src(name), "as a file");
        Directory.CreateDirectory(s.Src($"d-{Short(name)}/{name}/sub"));
        File.WriteAllText(s.Src($"d-{Short(name)}/{name}/sub/f"), "in a directory");
        await s.ConvergedAsync();

        File.Delete(s.Src(name));
        File.Delete(s.Src($"d-{Short(name)}/{name}/sub/f"));
        await s.ConvergedAsync();
        Directory.Delete(s.Src($"d-{Short(name)}/{name}"), recursive: true);

        await s.ConvergedAsync();
    }

    [Fact]
    public async Task Names_that_are_not_valid_utf8_sync_exactly_and_such_directories_are_watched()
    {
        await using var s = await StartAsync("inotify", p => Directory.CreateDirectory(p.Src("bin")));

        // "bin/caf\xe9" (Latin-1 é) and "bin/d\xff": names .NET strings cannot hold; the shell's printf makes them.
        await Shell.RunAsync("printf 'raw' > \"$1/$(printf 'caf\\351')\"", s.Src("bin"));
        await Shell.RunAsync("mkdir \"$1/$(printf 'd\\377')\" && printf 'x' > \"$1/$(printf 'd\\377')/f\"", s.Src("bin"));
        await s.ConvergedAsync();

        // Later changes inside that directory (the churn test lost one while such directories could not be watched),
        // and a rename of it; the comparison is byte for byte.
        await Shell.RunAsync("mkdir \"$1/$(printf 'd\\377')/sub\" && printf 'y' > \"$1/$(printf 'd\\377')/sub/g\"", s.Src("bin"));
        await s.ConvergedAsync();
        await Shell.RunAsync("mv \"$1/$(printf 'd\\377')\" \"$1/$(printf 'e\\376')\" && printf 'z' > \"$1/$(printf 'e\\376')/sub/h\"", s.Src("bin"));
        await s.ConvergedAsync();
        s.Daemon.LogText.Should().NotContain("Cannot watch");
    }

    [Fact]
    public async Task Excluded_files_never_reach_the_nodes_and_excluded_directories_are_not_watched()
    {
        await using var s = await SyncScenario.StartAsync(new ScenarioOptions
        {
            ExtraConfig = "rexcludes = [\"*.tmp\", \"/cache/\", \"node_modules\"]",
            Prepare = p =>
            {
                Directory.CreateDirectory(p.Src("cache/a/b"));
                Directory.CreateDirectory(p.Src("app/node_modules/x"));
                Directory.CreateDirectory(p.Src("app/lib"));
            },
        });

        File.WriteAllText(s.Src("keep.txt"), "k");
        File.WriteAllText(s.Src("drop.tmp"), "d");
        File.WriteAllText(s.Src("cache/a/b/c.bin"), "c");
        File.WriteAllText(s.Src("app/node_modules/x/m.js"), "m");
        File.WriteAllText(s.Src("app/lib/l.js"), "l");

        bool synced = await Testing.Eventually.TrueWithinAsync(
            () => s.Targets.All(t => File.Exists(Path.Combine(t, "keep.txt")) && File.Exists(Path.Combine(t, "app/lib/l.js"))),
            TimeSpan.FromSeconds(30));
        synced.Should().BeTrue(s.Describe("the kept files never arrived", s.AllDifferences()));
        await s.Daemon.WaitForLogAsync("ready");
        foreach (string target in s.Targets)
        {
            File.Exists(Path.Combine(target, "drop.tmp")).Should().BeFalse();
            Directory.Exists(Path.Combine(target, "cache")).Should().BeFalse();
            Directory.Exists(Path.Combine(target, "app/node_modules")).Should().BeFalse();
        }

        // Watched: the root, app, app/lib — not cache/**, not node_modules/**.
        s.Daemon.LogText.Should().Contain("3 directories");
    }

    private static string Short(string name) => Convert.ToHexString(Encoding.UTF8.GetBytes(name))[..Math.Min(16, Encoding.UTF8.GetByteCount(name) * 2)];
}
