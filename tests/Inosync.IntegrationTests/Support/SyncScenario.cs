using System.Text;
using Inosync.Testing;
using Inosync.Testing.RawFiles;
using Inosync.Testing.Servers;

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

    /// <summary>Adds one more node on this sshd (its <see cref="SshServer.DataPath"/>), reached with rsync -e ssh.</summary>
    public SshServer? Ssh { get; init; }

    /// <summary>Also compare each regular file's modification time (to the nanosecond).</summary>
    public bool CompareFileTimes { get; init; }

    /// <summary>With <see cref="CompareFileTimes"/>: to the second only, as FTP (MFMT) and SFTP (protocol version 3) carry them.</summary>
    public bool FileTimesToTheSecond { get; init; }

    /// <summary>
    /// Source entries the nodes must not have (the config's rexcludes, written independently by the test as
    /// (relative path, type) → excluded); everything below an excluded directory is left out too. Null: none.
    /// </summary>
    public Func<string, TreeEntryKind, bool>? ExcludedFromNodes { get; init; }

    /// <summary>
    /// Filter rules (rsync --filter values) that decide what the nodes hold, with rsync as the oracle: each node must
    /// equal a fresh <c>rsync -a --filter=…</c> of the source into an empty directory. Null: the source itself.
    /// </summary>
    public IReadOnlyList<string>? RsyncFilterOracle { get; init; }

    /// <summary>Compare names, types, sizes and content only, not permission bits: for nodes whose protocol does not
    /// carry them as rsync -a does (FTP, SFTP).</summary>
    public bool IgnoreModes { get; init; }

    /// <summary>
    /// Compare regular files' permission bits less these (e.g. 022: lftp's SFTP mirror masks what it sends with the
    /// umask), and no other entry's; null: as <see cref="IgnoreModes"/> says.
    /// </summary>
    public int? FileModeMask { get; init; }

    /// <summary>How often convergence is checked (each check reads every tree whole).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// One end-to-end setup: a source tree, local target directories as nodes, a config file, the real inosync
/// executable running on it, and the one convergence check every test ends with.
/// </summary>
public sealed class SyncScenario : IAsyncDisposable
{
    private readonly TempTree _root;
    private readonly IReadOnlyList<ScenarioNode> _extraNodes;
    private readonly ScenarioOptions _options;
    private readonly List<string> _previousLogs = [];

    private SyncScenario(TempTree root, ScenarioOptions options)
    {
        _root = root;
        _options = options;
        Source = root.CreateDirectory("src");
        LocalTargets = [.. Enumerable.Range(1, options.Targets).Select(i => root.CreateDirectory($"dst{i}"))];
        if (options.Ssh is { } ssh)
        {
            SshTarget = Directory.CreateDirectory(Path.Combine(ssh.DataPath, Path.GetFileName(root.Root))).FullName;
        }

        Targets = [.. LocalTargets, .. SshTarget is null ? [] : new[] { SshTarget }, .. options.ExtraNodes.Select(n => n.LocalPath)];
        _extraNodes = options.ExtraNodes;
        Rsync = options.Rsync?.Invoke(root.CreateDirectory("wrapper"));
        ConfigPath = root.PathOf("sync.toml");
    }

    /// <summary>The ssh node's directory (on this machine, reached through sshd), also the last of <see cref="Targets"/>.</summary>
    public string? SshTarget { get; }

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

    /// <summary>
    /// Starts the daemon again with the same configuration (after it was killed); the previous run's log is kept for
    /// <see cref="Describe"/>. Does not wait for "ready": the caller decides when.
    /// </summary>
    public async Task RestartDaemonAsync()
    {
        if (!Daemon.HasExited)
        {
            throw new InvalidOperationException("The daemon is still running.");
        }

        _previousLogs.Add(Daemon.LogText);
        await Daemon.DisposeAsync();
        Daemon = InosyncProcess.Start(["-c", ConfigPath, .. _options.Arguments], _options.Environment);
    }

    /// <summary>Waits until every target equals the source; fails with the first differences and the log tail.</summary>
    public async Task ConvergedAsync(TimeSpan? timeout = null)
    {
        IReadOnlyList<string> differences = [];
        bool converged = await Eventually.TrueWithinAsync(
            () => (differences = AllDifferences()).Count == 0,
            timeout ?? TimeSpan.FromSeconds(60),
            _options.PollInterval);
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

    /// <summary>Every difference between the source and each target, byte-exact (names are compared as bytes).</summary>
    public IReadOnlyList<string> AllDifferences()
    {
        var source = ExactTreeComparer.Snapshot(
            _options.RsyncFilterOracle is { } rules ? RsyncFiltered(rules) : Source, _options.CompareFileTimes);
        if (_options.ExcludedFromNodes is { } excluded)
        {
            var gone = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (path, entry) in source.ToList())
            {
                bool below = false;
                for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0 && !below; slash = path.IndexOf('/', slash + 1))
                {
                    below = gone.Contains(path[..slash]);
                }

                if (below || (path.Length > 0 && excluded(path, entry.Kind)))
                {
                    source.Remove(path);
                    gone.Add(path);
                }
            }
        }

        return [.. Targets.SelectMany(t => ExactTreeComparer.Differences(Comparable(source), Comparable(ExactTreeComparer.Snapshot(t, _options.CompareFileTimes)))
            .Select(d => $"{TargetName(t)}: {d}"))];
    }

    // What the nodes' protocols carry of each entry, as the options say.
    private SortedDictionary<string, ExactEntry> Comparable(SortedDictionary<string, ExactEntry> tree)
    {
        if (!_options.IgnoreModes && !_options.FileTimesToTheSecond && _options.FileModeMask is null)
        {
            return tree;
        }

        return new(tree.ToDictionary(e => e.Key, e => e.Value with { Mode = Mode(e.Value), MTime = MTime(e.Value) }), StringComparer.Ordinal);

        int Mode(ExactEntry entry) => _options.FileModeMask is { } mask
            ? (entry.Kind == TreeEntryKind.File ? entry.Mode & ~mask : 0)
            : (_options.IgnoreModes ? 0 : entry.Mode);

        long MTime(ExactEntry entry) => _options.FileTimesToTheSecond ? entry.MTime / 1_000_000_000 * 1_000_000_000 : entry.MTime;
    }

    // A fresh filtered copy of the source, made by rsync itself.
    private string RsyncFiltered(IReadOnlyList<string> rules)
    {
        string copy = _root.PathOf("rsync-oracle");
        if (Directory.Exists(copy))
        {
            // Byte-path delete: .NET cannot name entries whose names are not valid UTF-8.
            RawFileSystem.DeleteTree(copy);
        }

        Directory.CreateDirectory(copy);
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/rsync") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-a");
        foreach (string rule in rules)
        {
            start.ArgumentList.Add("--filter=" + rule);
        }

        start.ArgumentList.Add(Source + "/");
        start.ArgumentList.Add(copy + "/");
        using var rsync = System.Diagnostics.Process.Start(start)!;
        string errors = rsync.StandardError.ReadToEnd();
        rsync.WaitForExit();

        // 24: a file vanished while rsync read the tree (the source is still settling); the next check retries.
        return rsync.ExitCode is 0 or 24 ? copy : throw new InvalidOperationException($"the oracle rsync failed ({rsync.ExitCode}): {errors}");
    }

    public string Describe(string what, IReadOnlyList<string> differences, int logLines = 60)
    {
        var log = Daemon?.Log ?? [];
        string previous = _previousLogs.Count == 0 ? "" :
            $"--- log of the daemon before its restart (last lines) ---\n{string.Join('\n', _previousLogs[^1].Split('\n').TakeLast(logLines / 2))}\n";
        return $"{what}; first differences ({differences.Count} in all):\n  {string.Join("\n  ", differences.Take(20))}\n" +
               previous +
               $"--- last log lines ---\n{string.Join('\n', log.Skip(Math.Max(0, log.Count - logLines)))}";
    }

    /// <summary>The daemon's whole log, every run of it (restarts included).</summary>
    public string FullLog() =>
        string.Join("\n--- restarted ---\n", _previousLogs.Append(Daemon?.LogText ?? ""));

    private string TargetName(string target) => target == SshTarget ? "ssh" : Path.GetFileName(target);

    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        if (SshTarget is not null)
        {
            RawFileSystem.DeleteTree(SshTarget);
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

        if (options.Ssh is { } ssh)
        {
            toml.Append("[[node]]\ntarget = ").Append(TomlString(ssh.Node)).Append("\nrpath = ").Append(TomlString(SshTarget!))
                .Append("\nssh = ").Append(TomlString(ssh.SshCommand)).Append('\n');
        }

        File.WriteAllText(ConfigPath, toml.ToString());
    }

    /// <summary>A TOML literal string (test paths never contain a single quote).</summary>
    public static string TomlString(string value) =>
        "'" + (value.Contains('\'', StringComparison.Ordinal) ? throw new ArgumentException("no quotes in test paths") : value) + "'";
}
