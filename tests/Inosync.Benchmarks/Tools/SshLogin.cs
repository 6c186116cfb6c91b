namespace Inosync.Benchmarks.Tools;

/// <summary>
/// Targets reached through ssh instead of as local paths: the directories stay on this machine (so the benchmark
/// checks them directly), and each tool addresses them as <c>Host:path</c> with <see cref="Command"/> as its ssh.
/// </summary>
/// <param name="Host">user@host, as rsync writes it.</param>
/// <param name="Command">The ssh command line (rsync's -e).</param>
internal sealed record SshLogin(string Host, string Command)
{
    public string Remote(string path) => $"{Host}:{path}";
}
