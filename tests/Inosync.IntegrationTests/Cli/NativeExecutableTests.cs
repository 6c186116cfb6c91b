using System.Diagnostics;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Cli;

/// <summary>
/// The release build is NativeAOT: <c>dotnet publish src/Inosync -c Release -r linux-x64</c> makes one native
/// executable. Published once for this class (about a minute), then run as users run it, so that a trim or AOT
/// regression (reflection in configuration, the command line, the log sinks, JSON) fails here.
/// </summary>
[Collection(PackagingGroup.Name)]
public sealed class NativeExecutableTests(NativeExecutableTests.NativeBuild build) : IClassFixture<NativeExecutableTests.NativeBuild>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    [Trait("Category", "Packaging")]
    public async Task The_native_publish_is_one_executable_with_no_assembly_beside_it_and_prints_the_version()
    {
        Directory.EnumerateFiles(build.Directory, "*.dll").Should().BeEmpty("NativeAOT compiles every assembly into the executable");
        File.Exists(Path.Combine(build.Directory, "THIRD-PARTY-NOTICES.md")).Should().BeTrue("Tomlyn's licence requires its notice");

        CliResult native = await InosyncProcess.RunAsync(["--version"], executable: build.Executable);
        native.ExitCode.Should().Be(0, native.ToString());
        native.StdOut.Trim().Should().Be((await InosyncProcess.RunAsync("--version")).StdOut.Trim(), "the same source as the build under test");
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public async Task The_native_executable_checks_syncs_reports_status_and_stops_cleanly()
    {
        using var dir = new TempTree("inosync-native-");
        string source = dir.CreateDirectory("src");
        string node = dir.CreateDirectory("node");
        File.WriteAllText(Path.Combine(source, "before.txt"), "1");
        string config = dir.WriteFile("sync.toml", $"status_file = 'status.json'\nwpath = '{source}'\nrpath = '{node}'\nrnodes = ['']\nrexcludes = ['*.tmp']\n");

        CliResult check = await InosyncProcess.RunAsync(["check", "-c", config], executable: build.Executable);
        check.ExitCode.Should().Be(0, check.ToString());
        check.StdOut.Should().Contain("rsync");

        await using var daemon = InosyncProcess.Start(["-c", config], executable: build.Executable);
        await daemon.WaitForLogAsync("ready");
        File.WriteAllText(Path.Combine(source, "after.txt"), "2");
        File.WriteAllText(Path.Combine(source, "skipped.tmp"), "3");
        (await Eventually.TrueWithinAsync(() => File.Exists(Path.Combine(node, "after.txt")), s_timeout)).Should().BeTrue(daemon.LogText);
        File.ReadAllText(Path.Combine(node, "before.txt")).Should().Be("1");
        File.Exists(Path.Combine(node, "skipped.tmp")).Should().BeFalse("rexcludes apply");

        CliResult status = await InosyncProcess.RunAsync(["status", "-c", config], executable: build.Executable);
        status.ExitCode.Should().Be(0, status.ToString());
        status.StdOut.Should().Contain("OK: 1 node healthy");

        await daemon.SignalAsync("TERM");
        (await daemon.WaitForExitAsync(s_timeout)).Should().Be(0, daemon.LogText);
    }

    [Fact]
    [Trait("Category", "Packaging")]
    public async Task The_debian_package_builds_passes_lintian_installs_runs_and_removes()
    {
        using var dir = new TempTree("inosync-deb-");
        CliResult built = await RunAsync(Repository.PathOf("packaging/deb/build.sh"), ["--publish", build.Directory, dir.Root]);
        built.ExitCode.Should().Be(0, built.ToString());
        string deb = built.StdOut.Trim();
        Path.GetFileName(deb).Should().MatchRegex(@"^inosync_\d+\.\d+\.\d+_amd64\.deb$");

        CliResult contents = await RunAsync("dpkg-deb", ["--contents", deb]);
        contents.StdOut.Should().Contain("./usr/bin/inosync").And.Contain("./lib/systemd/system/inosync.service")
            .And.Contain("./lib/systemd/system/inosync@.service").And.Contain("./etc/inosync/sync.toml").And.Contain("./etc/logrotate.d/inosync")
            .And.Contain("./usr/share/man/man1/inosync.1.gz").And.Contain("./usr/share/man/man5/inosync.toml.5.gz")
            .And.Contain("./usr/share/doc/inosync/copyright");
        CliResult control = await RunAsync("dpkg-deb", ["--field", deb, "Depends", "Recommends"]);
        control.StdOut.Should().Contain("rsync").And.Contain("Recommends: openssh-client");
        CliResult conffiles = await RunAsync("dpkg-deb", ["--info", deb, "conffiles"]);
        conffiles.StdOut.Should().Contain("/etc/inosync/sync.toml");

        CliResult lintian = await RunAsync("lintian", ["--tag-display-limit", "0", deb]);
        lintian.StdOut.Split('\n').Should().NotContain(line => line.StartsWith("E: ", StringComparison.Ordinal), lintian.ToString());

        // The man pages, as man renders them: no groff warning (a table too wide, a line that cannot break).
        string extracted = dir.CreateDirectory("extracted");
        (await RunAsync("dpkg-deb", ["-x", deb, extracted])).ExitCode.Should().Be(0);
        if (File.Exists("/usr/bin/man"))
        {
            foreach (string page in (string[])["usr/share/man/man1/inosync.1.gz", "usr/share/man/man5/inosync.toml.5.gz"])
            {
                CliResult man = await RunAsync("man", ["--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", Path.Combine(extracted, page)]);
                man.ExitCode.Should().Be(0, man.ToString());
                man.StdErr.Should().BeEmpty(page);
            }
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return; // Installing needs root; CI runs as root, and so does test.sh when it installs what the tests need.
        }

        CliResult install = await RunAsync("dpkg", ["-i", deb]);
        try
        {
            install.ExitCode.Should().Be(0, install.ToString());
            CliResult version = await InosyncProcess.RunAsync(["--version"], executable: "/usr/bin/inosync");
            version.ExitCode.Should().Be(0, version.ToString());
            CliResult check = await InosyncProcess.RunAsync(["check", "-c", "/etc/inosync/sync.toml"], executable: "/usr/bin/inosync");
            check.ExitCode.Should().Be(0, check.ToString());
            if (File.Exists("/usr/bin/man"))
            {
                (await RunAsync("man", ["-w", "inosync"])).StdOut.Trim().Should().Be("/usr/share/man/man1/inosync.1.gz");
                (await RunAsync("man", ["-w", "inosync.toml"])).StdOut.Trim().Should().Be("/usr/share/man/man5/inosync.toml.5.gz");
            }
        }
        finally
        {
            CliResult remove = await RunAsync("dpkg", ["-r", "inosync"]);
            remove.ExitCode.Should().Be(0, remove.ToString());
            File.Exists("/usr/bin/inosync").Should().BeFalse();
            File.Exists("/etc/inosync/sync.toml").Should().BeTrue("dpkg -r keeps conffiles");
            (await RunAsync("dpkg", ["--purge", "inosync"])).ExitCode.Should().Be(0);
        }
    }

    private static Task<CliResult> RunAsync(string program, IEnumerable<string> arguments) =>
        InosyncProcess.RunAsync(arguments, TimeSpan.FromMinutes(5), program);

    /// <summary>The native executable, published once into a temporary folder.</summary>
    public sealed class NativeBuild : IDisposable
    {
        private readonly TempTree _dir = new("inosync-native-build-");

        public NativeBuild()
        {
            Directory = _dir.CreateDirectory("out");
            var startInfo = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                ArgumentList = { "publish", Repository.PathOf("src/Inosync/Inosync.csproj"), "-c", "Release", "-r", "linux-x64", "-o", Directory, "-nologo" },
            };
            startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            startInfo.Environment["DOTNET_NOLOGO"] = "1";
            using var publish = Process.Start(startInfo)!;
            publish.StandardInput.Close();
            Task<string> stdout = publish.StandardOutput.ReadToEndAsync();
            Task<string> stderr = publish.StandardError.ReadToEndAsync();
            if (!publish.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                publish.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet publish -r linux-x64 did not finish within 10 minutes");
            }

            if (publish.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"dotnet publish -r linux-x64 exited {publish.ExitCode} (NativeAOT needs clang and zlib1g-dev; test.sh installs them as root):\n{stdout.Result}\n{stderr.Result}");
            }

            Executable = Path.Combine(Directory, "inosync");
        }

        public string Directory { get; }

        public string Executable { get; }

        public void Dispose() => _dir.Dispose();
    }
}
