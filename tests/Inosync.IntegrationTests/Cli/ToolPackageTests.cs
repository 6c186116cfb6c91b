using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Inosync.IntegrationTests.Support;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Cli;

/// <summary>
/// <c>dotnet pack</c> makes a .NET tool that <c>dotnet tool install</c> accepts and that runs. Packs the build the
/// tests run against (no rebuild: a few seconds) and installs offline, from that folder only.
/// </summary>
[Collection(PackagingGroup.Name)]
public sealed partial class ToolPackageTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-tool-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    [Trait("Category", "Packaging")]
    public async Task Packed_tool_installs_into_a_tool_path_and_prints_its_version()
    {
        string feed = _dir.CreateDirectory("feed");
        string tools = _dir.PathOf("tools");
        string project = Repository.PathOf("src/Inosync/Inosync.csproj");

        var pack = await DotnetAsync("pack", project, "-c", BuildConfiguration(), "--no-build", "--no-restore", "-o", feed, "-nologo");
        pack.ExitCode.Should().Be(0, pack.ToString());
        string package = Directory.GetFiles(feed, "inosync.*.nupkg").Should().ContainSingle().Subject;
        string version = PackageVersion().Match(Path.GetFileName(package)).Groups[1].Value;
        using (ZipArchive archive = ZipFile.OpenRead(package))
        {
            archive.Entries.Select(e => e.FullName).Should().Contain("THIRD-PARTY-NOTICES.md", "Tomlyn's BSD-2-Clause licence requires its notice");
        }

        // Only the feed folder: the tool must come from this build, never from nuget.org.
        string config = _dir.WriteFile("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var install = await DotnetAsync("tool", "install", "--tool-path", tools, "--configfile", config, "inosync", "--version", version);
        install.ExitCode.Should().Be(0, install.ToString());

        var run = await RunAsync(Path.Combine(tools, "inosync"), "--version");
        run.ExitCode.Should().Be(0, run.ToString());
        run.StdOut.Trim().Should().StartWith(version);
        (await InosyncProcess.RunAsync("--version")).StdOut.Trim().Should().Be(run.StdOut.Trim(), "the tool is the build under test");
    }

    /// <summary>Debug or Release: the configuration this test assembly (and so src/Inosync) was built in.</summary>
    private static string BuildConfiguration() =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private Task<CliResult> DotnetAsync(params string[] arguments) => RunAsync("dotnet", arguments);

    private async Task<CliResult> RunAsync(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = _dir.Root,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"^inosync\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex PackageVersion();
}
