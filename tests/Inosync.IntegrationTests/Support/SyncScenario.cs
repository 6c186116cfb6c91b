using System.Text;
using Inosync.Testing;

namespace Inosync.IntegrationTests.Support;

/// <summary>What a <see cref="SyncScenario"/> sets up.</summary>
public sealed record ScenarioOptions
{
    /// <summary>How many local target directories (nodes).</summary>
    public int Targets { get; init; } = 2;

    /// <summary>TOML lines at the very top of the config: global-only keys (pid_file, log_file, status_file).</summary>
    public string GlobalConfig { get; init; } = "";

    /// <summary>Extra TOML lines appended to the top level of the config (e.g. <c>rexcludes = ["*.tmp"]</c>).</summary>
    public string ExtraConfig { get; init; } = "";

    /// <summary>Creates content in the source (and targets) before the daemon starts.</summary>
    public Action<SyncScenario>? Prepare { get; init; }

    /// <summary>Extra command-line arguments (e.g. "--pretend").</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Wraps rsync with a <see cref="RsyncWrapper"/> (counts runs); the factory may add sleeps or failures.</summary>
    public Func<string, RsyncWrapper>? Rsync { get; init; }

    /// <summary>Environment variables for the daemon.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>More nodes (ssh, rsync daemon), each a TOML [[node]] table and the local directory its data lands in.</summary>
    public IReadOnlyList<ScenarioNode> ExtraNodes { get; init; } = [];

    /// <summary>Wait for this log text before the test goes on (default: every initial sync finished).</summary>
    public string ReadyText { get; init; } = "ready";
}

/// <summary>
/// One end-to-end setup: a source tree, local target directories as nodes, a config file, the real inosync
/// executable running on it, and the one convergence check every test ends with.
/// </summary>
public sealed class SyncScenario : IAsyncDisposable
{
    private readonly TempTree _root;
    private readonly IReadOnlyList<ScenarioNode> _extraNodes;

    private SyncScenario(TempTree root, ScenarioOptions options)
    {
        _root = root;
        Source = root.CreateDirectory("src");
        LocalTargets = [.. Enumerable.Range(1, options.Targets).Select(i => root.CreateDirectory($"dst{i}"))];
        Targets = [.. LocalTargets, .. options.ExtraNodes.Select(n => n.LocalPath)];
        _extraNodes = options.ExtraNodes;
        Rsync = options.Rsync?.Invoke(root.CreateDirectory("wrapper"));
        ConfigPath = root.PathOf("sync.toml");
    }

    public string Source { get; }

    /// <summary>Where every node's data lands on this machine: the local targets, then the extra nodes' directories.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>The local-directory nodes only.</summary>
    public IReadOnlyList<string> LocalTargets { get; }

    public RsyncWrapper? Rsync { get; }

    public string ConfigPath { get; }

    public InosyncProcess Daemon { get; private set; } = null!;

    /// <summary>An absolute path in the scratch folder next to src/ and the targets (outside the watched tree).</summary>
    public string Scratch(string relative) => _root.PathOf(relative);

    /// <summary>An absolute path inside the watched source tree.</summary>
    public string Src(string relative) => Path.Combine(Source, relative);

    public static async Task<SyncScenario> StartAsync(ScenarioOptions? options = null)
    {
        options ??= new ScenarioOptions();
        var scenario = new SyncScenario(new TempTree("inosync-it-"), options);
        try
        {
            options.Prepare?.Invoke(scenario);
            scenario.WriteConfig(options);
            scenario.Daemon = InosyncProcess.Start(["-c", scenario.ConfigPath, .. options.Arguments], options.Environment);
            await scenario.Daemon.WaitForLogAsync(options.ReadyText);
            return scenario;
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every target equals the source; fails with the first differences and the log tail.</summary>
    public async Task ConvergedAsync(TimeSpan? timeout = null)
    {
        IReadOnlyList<string> differences = [];
        bool converged = await Eventually.TrueWithinAsync(
            () => (differences = AllDifferences()).Count == 0,
            timeout ?? TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(100));
        if (!converged)
        {
            Assert.Fail(Describe("targets did not converge", differences));
        }
    }

    /// <summary>Waits until the targets equal the source AND no rsync has run for <paramref name="quiet"/>.</summary>
    public async Task ConvergedAndQuietAsync(TimeSpan quiet, TimeSpan? timeout = null)
    {
        await ConvergedAsync(timeout);
        if (Rsync is null)
        {
            return;
        }

        int runs = Rsync.Runs;
        var lastChange = DateTime.UtcNow;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow - lastChange < quiet)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(Describe("rsync never went quiet", []));
            }

            await Task.Delay(100);
            if (Rsync.Runs != runs)
            {
                runs = Rsync.Runs;
                lastChange = DateTime.UtcNow;
            }
        }

        await ConvergedAsync(timeout);
    }

    public IReadOnlyList<string> AllDifferences() =>
        [.. Targets.SelectMany(t => TreeComparer.Differences(Source, t).Select(d => $"{Path.GetFileName(t)}: {d}"))];

    public string Describe(string what, IReadOnlyList<string> differences)
    {
        var log = Daemon?.Log ?? [];
        return $"{what}; first differences:\n  {string.Join("\n  ", differences.Take(20))}\n" +
               $"--- last log lines ---\n{string.Join('\n', log.Skip(Math.Max(0, log.Count - 60)))}";
    }

    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        _root.Dispose();
    }

    private void WriteConfig(ScenarioOptions options)
    {
        var toml = new StringBuilder();
        toml.Append(options.GlobalConfig).Append('\n');
        toml.Append("wpath = ").Append(TomlString(Source)).Append('\n');
        toml.Append("rpath = ").Append(TomlString(LocalTargets.Count > 0 ? LocalTargets[0] : Scratch("none"))).Append('\n');
        if (Rsync is not null)
        {
            toml.Append("rsync = ").Append(TomlString(Rsync.Path)).Append('\n');
        }

        toml.Append(options.ExtraConfig).Append('\n');

        // Each local target is its own node: "" joined with its own rpath.
        foreach (string target in LocalTargets)
        {
            toml.Append("[[node]]\ntarget = \"\"\nrpath = ").Append(TomlString(target)).Append('\n');
        }

        foreach (var node in _extraNodes)
        {
            toml.Append(node.Toml).Append('\n');
        }

        File.WriteAllText(ConfigPath, toml.ToString());
    }

    /// <summary>A TOML literal string (test paths never contain a single quote).</summary>
    public static string TomlString(string value) =>
        "'" + (value.Contains('\'', StringComparison.Ordinal) ? throw new ArgumentException("no quotes in test paths") : value) + "'";
}
