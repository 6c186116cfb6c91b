namespace Inosync.Benchmarks.Tools;

/// <summary>One contestant: how to start it on a source and one or more local targets.</summary>
internal abstract class SyncTool
{
    /// <summary>Short name, used in tables, file names and --tools.</summary>
    public abstract string Name { get; }

    /// <summary>What exactly runs, for the report.</summary>
    public abstract string Description { get; }

    /// <summary>Null when the tool can run here; otherwise why not and how to install it.</summary>
    public abstract string? Unavailable { get; }

    /// <summary>The delay the tool waits before syncing on purpose (lsyncd's default 15 s): such a tool gets
    /// fewer latency samples and longer timeouts.</summary>
    public virtual TimeSpan Delay => TimeSpan.Zero;

    /// <summary>Starts the tool on one target.</summary>
    public ToolProcess Start(string source, string target, string rsync, string scratch, string tag, SshLogin? ssh = null) =>
        Start(source, [target], rsync, scratch, tag, ssh);

    /// <summary>Starts the tool, mirroring <paramref name="source"/> to every one of <paramref name="targets"/>, each the
    /// tool's own documented way. <paramref name="rsync"/> is the rsync binary it must use (possibly the counting
    /// wrapper); its config files and log go into <paramref name="scratch"/>. With <paramref name="ssh"/>, the targets
    /// are reached through it.</summary>
    public abstract ToolProcess Start(string source, IReadOnlyList<string> targets, string rsync, string scratch, string tag, SshLogin? ssh = null);

    /// <summary>Finds an executable on PATH, as execvp would.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & UnixFileMode.UserExecute) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
