using Inosync.Configuration;
using Inosync.Transfer;
using Inosync.Processes;

namespace Inosync.Cli.Hosting;

/// <summary>Finds lftp, the client of sftp:// and ftp:// nodes, and asks its version (for <c>check</c>).</summary>
internal static class LftpProbe
{
    /// <summary>The path and the first line of <c>lftp --version</c> ("LFTP | Version 4.9.2 | …").</summary>
    /// <exception cref="ConfigException">lftp cannot be found or run (exit code 69).</exception>
    public static async Task<(string Path, string VersionLine)> ProbeAsync(CancellationToken cancellationToken)
    {
        string path = RsyncProbe.Resolve(LftpSyntax.Client)
            ?? throw new ConfigException("lftp not found on PATH: sftp:// and ftp:// nodes need it (install it: apt-get install lftp)", ExitCode.Unavailable);
        ProcessResult result = await new ProcessRunner(TimeSpan.Zero).RunAsync(path, ["--version"], ReadOnlyMemory<byte>.Empty, cancellationToken);
        string first = result.StandardOutput.Split('\n', 2)[0].Trim();
        return result.Started && result.ExitCode == 0 && first.Contains("LFTP", StringComparison.OrdinalIgnoreCase)
            ? (path, first)
            : throw new ConfigException($"{path}: does not look like lftp ('--version' exited {result.ExitCode}: {result.StartError ?? first})", ExitCode.Unavailable);
    }
}
