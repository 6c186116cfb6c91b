using System.Text.RegularExpressions;
using Inosync.Configuration;
using Inosync.Processes;

namespace Inosync.Cli.Hosting;

/// <summary>Finds the configured rsync binary and asks its version, before any sync depends on it.</summary>
internal static partial class RsyncProbe
{
    /// <summary>
    /// The oldest rsync whose options every command shape uses: nanosecond mtime comparison on full syncs
    /// (--modify-window=-1, 3.1.3) and --ignore-missing-args on file lists (3.1.0). Older, every full sync or every
    /// file-list batch would fail on an unknown option and be retried for ever.
    /// </summary>
    internal static readonly Version MinimumVersion = new(3, 1, 3);

    /// <summary>The version in rsync's first --version line ("rsync  version 3.2.7  protocol version 31"); null when
    /// the line does not say (an rsync-compatible build that words it otherwise is given the benefit of the doubt).</summary>
    internal static Version? ParseVersion(string versionLine)
    {
        var match = VersionPattern().Match(versionLine);
        return match.Success && Version.TryParse(match.Groups[1].Value, out var version) ? version : null;
    }

    [GeneratedRegex(@"^rsync\s+version\s+v?(\d+\.\d+(?:\.\d+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    /// <exception cref="ConfigException">rsync cannot be found (thrown at once, not by the task) or run (exit code 69).</exception>
    public static Task<RsyncInfo> ProbeAsync(string rsync, CancellationToken cancellationToken)
    {
        string path = Resolve(rsync)
            ?? throw new ConfigException(
                $"rsync not found: '{rsync}' is not an executable file{(rsync.Contains('/', StringComparison.Ordinal) ? "" : " on PATH")} (install it: apt-get install rsync, or set 'rsync' in the config)",
                ExitCode.Unavailable);
        return AskVersionAsync(path, cancellationToken);
    }

    private static async Task<RsyncInfo> AskVersionAsync(string path, CancellationToken cancellationToken)
    {
        ProcessResult result = await new ProcessRunner(TimeSpan.Zero).RunAsync(path, ["--version"], ReadOnlyMemory<byte>.Empty, cancellationToken);
        if (!result.Started)
        {
            throw new ConfigException($"{path}: cannot run rsync: {result.StartError}", ExitCode.Unavailable);
        }

        string first = result.StandardOutput.Split('\n', 2)[0].Trim();
        if (result.ExitCode != 0 || !first.Contains("rsync", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigException(
                $"{path}: does not look like rsync ('--version' exited {result.ExitCode}: {FirstLine(result.StandardError, first)})",
                ExitCode.Unavailable);
        }

        if (ParseVersion(first) is { } version && version < MinimumVersion)
        {
            throw new ConfigException(
                $"{path}: rsync {version} is too old: inosync needs rsync {MinimumVersion} or newer (it uses --modify-window=-1 and --ignore-missing-args); install a newer rsync or set 'rsync' in the config",
                ExitCode.Unavailable);
        }

        return new RsyncInfo(path, first);
    }

    /// <summary>A path with a '/' is taken as it is; a bare name is looked up on PATH, as execvp would.</summary>
    public static string? Resolve(string rsync)
    {
        if (rsync.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutableFile(rsync) ? Path.GetFullPath(rsync) : null;
        }

        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(d => Path.Combine(d, rsync)).FirstOrDefault(IsExecutableFile);
    }

    private static bool IsExecutableFile(string path) =>
        File.Exists(path) &&
        (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static string FirstLine(string stderr, string stdoutFirst)
    {
        string line = stderr.Split('\n', 2)[0].Trim();
        return line.Length > 0 ? line : stdoutFirst;
    }
}
