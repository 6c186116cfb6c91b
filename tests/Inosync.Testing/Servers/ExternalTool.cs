namespace Inosync.Testing.Servers;

/// <summary>Runs a command-line tool (rsync, ssh, ssh-keygen) to completion: argument list, no shell, both streams drained.</summary>
public static class ExternalTool
{
    /// <summary>What to tell whoever runs the tests on a machine without the servers or the clients.</summary>
    public const string InstallHint = "install them with: apt-get install openssh-server openssh-client rsync lftp pure-ftpd";

    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="fileName"/> and returns its exit code and output.</summary>
    /// <param name="fileName">The program (looked up on PATH when it has no '/').</param>
    /// <param name="arguments">Arguments, passed as they are.</param>
    /// <param name="environment">Extra environment variables for the child.</param>
    /// <param name="standardInput">Written to the child's stdin, which is then closed.</param>
    /// <param name="timeout">Kill the process tree and throw <see cref="TimeoutException"/> after this long (default 2 minutes).</param>
    /// <param name="cancellationToken">Kills the process tree when cancelled.</param>
    /// <exception cref="InvalidOperationException">The program is not installed.</exception>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        using var process = ChildProcess.Start(fileName, arguments, environment, standardInput);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? s_defaultTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{fileName} {string.Join(' ', process.StartInfo.ArgumentList)} did not finish within {timeout ?? s_defaultTimeout}.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Throws a clear exception when a program the fixtures need is missing.</summary>
    public static void Require(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: the real-server tests need OpenSSH, rsync, lftp and pure-ftpd; {InstallHint}");
        }
    }
}
