using System.Runtime.Versioning;
using Inosync.Testing;
using Inosync.Testing.Servers;

namespace Inosync.Tests.Remote;

/// <summary>The ssh fixture itself: rsync reaches it, host keys are checked, and a stop looks like a dead server.</summary>
[SupportedOSPlatform("linux")]
public sealed class SshServerTests : IAsyncLifetime
{
    private SshServer _server = null!;
    private string _source = null!;

    public async Task InitializeAsync()
    {
        _server = await SshServer.StartNewAsync();
        _source = Directory.CreateTempSubdirectory("inosync-src-").FullName;
        SampleTree.Write(_source);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_source, recursive: true);
    }

    [Fact]
    public async Task Rsync_over_ssh_pushes_a_tree_equal_to_the_source()
    {
        long before = _server.BytesReceived;

        var result = await PushAsync("tree");

        result.ExitCode.Should().Be(0, result.ToString());
        TreeComparer.Differences(_source, Path.Combine(_server.DataPath, "tree")).Should().BeEmpty();
        _server.BytesReceived.Should().BeGreaterThan(before + 100_000, "the 100 kB blob went through the relay (ssh encrypts, it does not compress)");
    }

    [Fact]
    public async Task Ssh_command_checks_the_host_key_against_the_generated_known_hosts()
    {
        string emptyKnownHosts = Path.Combine(_source, "..", Path.GetFileName(_source) + ".known_hosts");
        await File.WriteAllTextAsync(emptyKnownHosts, "");
        try
        {
            var arguments = _server.SshArguments.Skip(1)
                .Select(a => a.StartsWith("UserKnownHostsFile=", StringComparison.Ordinal) ? "UserKnownHostsFile=" + emptyKnownHosts : a)
                .Append(_server.User + "@127.0.0.1").Append("true");

            var result = await ExternalTool.RunAsync("ssh", arguments);

            result.ExitCode.Should().Be(255);
            result.StandardError.Should().Contain("Host key verification failed");
        }
        finally
        {
            File.Delete(emptyKnownHosts);
        }
    }

    [Fact]
    public async Task Stopped_server_fails_ssh_with_255_and_a_restart_on_the_same_port_works_again()
    {
        int port = _server.Port;
        (await PushAsync("first")).ExitCode.Should().Be(0);

        await _server.StopAsync();
        var ssh = await ExternalTool.RunAsync("ssh", _server.SshArguments.Skip(1).Append(_server.User + "@127.0.0.1").Append("true"));
        var rsync = await PushAsync("second");

        _server.IsRunning.Should().BeFalse();
        ssh.ExitCode.Should().Be(255, ssh.ToString());
        ssh.StandardError.Should().Contain("Connection refused");

        // rsync reports its ssh child's 255 only if ssh has already exited when rsync notices the closed pipe (it
        // reaps with WNOHANG); otherwise it exits 12. Both mean "node unreachable" to the exit code table.
        rsync.ExitCode.Should().BeOneOf([255, 12], rsync.ToString());
        rsync.StandardError.Should().Contain("Connection refused");

        await _server.StartAsync();
        var afterRestart = await PushAsync("second");

        _server.Port.Should().Be(port);
        afterRestart.ExitCode.Should().Be(0, afterRestart.ToString());
        TreeComparer.Differences(_source, Path.Combine(_server.DataPath, "second")).Should().BeEmpty();
    }

    private Task<ToolResult> PushAsync(string name) =>
        ExternalTool.RunAsync("rsync", [.. _server.ExtraArgs, "-a", _source + "/", _server.Target(Path.Combine(_server.DataPath, name) + "/")]);
}
