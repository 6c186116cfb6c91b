using Inosync.Testing.Servers;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// The churn and fault tests run one at a time and after the other integration tests: each keeps both cores busy
/// (the workload, inotify, three nodes of rsync, hashing whole trees), and run side by side they would measure each
/// other rather than inosync — the times per seed in docs/reliability.md come from these runs. They share one sshd.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChurnGroup : ICollectionFixture<ChurnSshFixture>
{
    public const string Name = "Churn";
}

/// <summary>One sshd for the churn collection, or the reason there is none (the tests then run with local nodes only).</summary>
public sealed class ChurnSshFixture : IAsyncLifetime
{
    public SshServer? Server { get; private set; }

    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            Server = await SshServer.StartNewAsync();
        }
        catch (InvalidOperationException ex)
        {
            Unavailable = ex.Message;
        }
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
