using System.Runtime.Versioning;
using Inosync.Testing.Servers;

namespace Inosync.Tests.Remote;

/// <summary>One <see cref="SshServer"/> shared by the tests of a class (xunit class fixture).</summary>
[SupportedOSPlatform("linux")]
public sealed class SshServerFixture : IAsyncLifetime
{
    private SshServer? _server;

    public SshServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _server = await SshServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
