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
