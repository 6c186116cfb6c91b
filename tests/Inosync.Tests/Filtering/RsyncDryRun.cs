using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Inosync.Tests.Filtering;

/// <summary>Real rsync as the oracle of the filter tests: what <c>rsync -r --dry-run</c> would transfer from a tree.</summary>
internal static partial class RsyncDryRun
{
    private const string Rsync = "/usr/bin/rsync";

    /// <summary>The paths (relative, no trailing '/') that rsync transfers from <paramref name="source"/> into the empty
    /// <paramref name="destination"/> with <paramref name="filterArguments"/> (--exclude=…, --filter=…).</summary>
    public static async Task<HashSet<string>> TransferredAsync(string source, string destination, IEnumerable<string> filterArguments)
    {
        var start = new ProcessStartInfo(Rsync)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };

        // -8: names as raw UTF-8, not escaped; %n: one transferred name per line, directories with a trailing '/'.
        foreach (var argument in (string[])["-r", "-8", "--dry-run", "--out-format=%n", .. filterArguments, source + "/", destination + "/"])
        {
            start.ArgumentList.Add(argument);
        }

        using var rsync = Process.Start(start)!;
        var output = rsync.StandardOutput.ReadToEndAsync();
        var error = rsync.StandardError.ReadToEndAsync();
        await rsync.WaitForExitAsync();
        rsync.ExitCode.Should().Be(0, "rsync failed on [{0}]: {1}", string.Join(" ", filterArguments), await error);

        return (await output).Split('\n')
            .Where(line => line.Length > 0 && line != "./")
            .Select(line => Unescape(line.EndsWith('/') ? line[..^1] : line))
            .ToHashSet(StringComparer.Ordinal);
    }

    // rsync prints a control character in a name as \#ooo (octal), even with -8.
    private static string Unescape(string name) =>
        OctalEscape().Replace(name, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    [GeneratedRegex(@"\\#([0-7]{3})")]
    private static partial Regex OctalEscape();
}
