using System.Runtime.Versioning;
using Inosync.Coalescing;
using Inosync.Configuration;
using Inosync.Nodes;
using Inosync.Processes;

namespace Inosync.Transfer;

/// <summary>
/// <c>inosync verify</c> for an lftp node: the full sync's mirror with --dry-run (after the listing the rules need), whose
/// output is what would be done. Mode-only differences (chmod) are not counted: FTP servers apply their own umask.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class LftpVerify
{
    /// <summary>Runs the comparison; the differences are lftp's would-be commands (put/get, mkdir, rm).</summary>
    /// <exception cref="IOException">The password file cannot be read.</exception>
    public static async Task<(ProcessResult Result, List<string> Differences)> RunAsync(
        SyncConfig sync, NodeConfig node, ProcessRunner runner, CancellationToken cancellationToken)
    {
        string root = Path.TrimEndingDirectorySeparator(sync.WatchPath) + "/";
        string? password = LftpTransport.ReadPassword(node);
        var full = new SyncBatch(true, [], [], 1);
        string? listing = null;
        if (LftpBatch.NeedsListing(full))
        {
            ProcessResult listed = await LftpTransport.RunScriptAsync(runner, LftpBatch.Listing(full, node, sync, password), password, cancellationToken);
            if (listed.ExitCode != 0)
            {
                return (listed, []);
            }

            listing = listed.StandardOutput;
        }

        LftpBatch.Plan plan = LftpBatch.Create(full, node, sync, root, password, listing, deleteLimit: null, new HashSet<string>(), dryRun: true);
        ProcessResult result = await LftpTransport.RunScriptAsync(runner, plan.Script, password, cancellationToken);

        // The would-be commands name the server by URL: "rm ftp://user@host/rpath/x" → "rm x"; -v's prose is dropped.
        string prefix = "/" + node.Endpoint!.RemotePath.Trim('/') + "/";
        List<string> differences = result.ExitCode != 0 ? [] :
        [
            .. result.StandardOutput.Split('\n')
                .Where(l => l.Length > 0 && !l.StartsWith("chmod ", StringComparison.Ordinal) && l.Contains("://", StringComparison.Ordinal))
                .Select(l => Shorten(l, prefix)),
        ];
        return (result, differences);
    }

    // Each URL in the line cut to the path below rpath (URL-decoded); the local side is left as it is.
    private static string Shorten(string line, string prefix)
    {
        var words = line.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            int scheme = words[i].IndexOf("://", StringComparison.Ordinal);
            int path = scheme < 0 ? -1 : words[i].IndexOf('/', scheme + 3);
            if (path >= 0)
            {
                string decoded = Uri.UnescapeDataString(words[i][path..]);
                int below = decoded.IndexOf(prefix, StringComparison.Ordinal);
                words[i] = below >= 0 ? decoded[(below + prefix.Length)..] : decoded;
            }
        }

        return string.Join(' ', words);
    }
}
