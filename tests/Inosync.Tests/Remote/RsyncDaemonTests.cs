using System.Runtime.Versioning;
using Inosync.Testing;
using Inosync.Testing.Servers;

namespace Inosync.Tests.Remote;

/// <summary>The rsync daemon fixture itself: both node forms work, authentication is enforced, a stop refuses connections.</summary>
[SupportedOSPlatform("linux")]
public sealed class RsyncDaemonTests : IAsyncLifetime
{
    private RsyncDaemon _daemon = null!;
    private string _source = null!;

    public async Task InitializeAsync()
    {
        _daemon = await RsyncDaemon.StartNewAsync();
        _source = Directory.CreateTempSubdirectory("inosync-src-").FullName;
        SampleTree.Write(_source);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_source, recursive: true);
    }

    [Theory]
    [InlineData(RsyncDaemonNodeForm.DoubleColon)]
    [InlineData(RsyncDaemonNodeForm.Url)]
    public async Task Rsync_pushes_a_tree_equal_to_the_source_into_the_module(RsyncDaemonNodeForm form)
    {
        var result = await PushAsync(form, _daemon.PasswordFile, "tree");

        result.ExitCode.Should().Be(0, result.ToString());
        TreeComparer.Differences(_source, Path.Combine(_daemon.ModulePath, "tree")).Should().BeEmpty();
        _daemon.BytesReceived.Should().BeGreaterThan(100_000);
    }

    [Fact]
    public async Task Wrong_password_fails_with_the_protocol_startup_exit_code_5()
    {
        string wrong = Path.Combine(_source, "..", Path.GetFileName(_source) + ".password");
        await File.WriteAllTextAsync(wrong, "not-the-password\n");
        File.SetUnixFileMode(wrong, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            var result = await PushAsync(RsyncDaemonNodeForm.Url, wrong, "tree");

            result.ExitCode.Should().Be(5, result.ToString());
            result.StandardError.Should().Contain("auth failed");
            Directory.Exists(Path.Combine(_daemon.ModulePath, "tree")).Should().BeFalse();
        }
        finally
        {
            File.Delete(wrong);
        }
    }

    [Fact]
    public async Task Stopped_daemon_refuses_connections_and_a_restart_on_the_same_port_works_again()
    {
        int port = _daemon.Port;
        await _daemon.StopAsync();

        var whileStopped = await PushAsync(RsyncDaemonNodeForm.DoubleColon, _daemon.PasswordFile, "tree");

        whileStopped.ExitCode.Should().Be(10, "rsync reports a refused daemon connection as a socket I/O error: " + whileStopped);

        await _daemon.StartAsync();
        var afterRestart = await PushAsync(RsyncDaemonNodeForm.DoubleColon, _daemon.PasswordFile, "tree");

        _daemon.Port.Should().Be(port);
        afterRestart.ExitCode.Should().Be(0, afterRestart.ToString());
        TreeComparer.Differences(_source, Path.Combine(_daemon.ModulePath, "tree")).Should().BeEmpty();
    }

    private Task<ToolResult> PushAsync(RsyncDaemonNodeForm form, string passwordFile, string name) =>
        ExternalTool.RunAsync("rsync", [.. _daemon.ExtraArgs(form), "-a", "--password-file=" + passwordFile, _source + "/", _daemon.Node(form) + "/" + name + "/"]);
}
