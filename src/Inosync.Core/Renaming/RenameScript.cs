using System.Globalization;
using System.Text;
using Inosync.Coalescing;

namespace Inosync.Renaming;

/// <summary>
/// The POSIX sh script that renames moved paths on an ssh node, and the reading of its answers. The script arrives
/// on the remote shell's stdin ("sh -s"), so the remote login shell only ever sees those two words; every path in the
/// script is single-quoted for sh, and each move prints one line: "ok N", "skip N reason" or "fail N".
/// </summary>
/// <remarks>
/// The checks match <see cref="LocalRenames"/>: parents below the node root must be real directories (not
/// symlinks), the old name must exist with the expected type, the new name must not exist in any form — then
/// <c>mv --</c>. Between a check and the mv another writer on the node could interfere; only the order of our own
/// moves is guaranteed (they run one after another, so a → b → c works).
/// </remarks>
internal static class RenameScript
{
    private const string Prologue = """
        # inosync: rename moved paths on this node; one result line per move.
        real() { [ -d "$1" ] && [ ! -L "$1" ]; }
        there() { [ -e "$1" ] || [ -L "$1" ]; }
        move() {
            n=$1 kind=$2 from=$3 to=$4
            shift 4
            for parent in "$@"; do
                real "$parent" || { echo "skip $n parent"; return 0; }
            done
            there "$from" || { echo "skip $n source"; return 0; }
            if [ "$kind" = d ]; then real "$from"; else ! real "$from"; fi || { echo "skip $n type"; return 0; }
            ! there "$to" || { echo "skip $n target"; return 0; }
            if mv -- "$from" "$to"; then echo "ok $n"; else echo "fail $n"; fi
        }

        """;

    private const string RootMissingLine = "noroot";

    /// <summary>The script for <paramref name="moves"/> (all renamable), numbered by their index in the list.</summary>
    public static string Build(SshDestination destination, IReadOnlyList<MovedPath> moves)
    {
        var script = new StringBuilder(Prologue);
        script.Append(CultureInfo.InvariantCulture, $"[ -d {PathWord(destination, "")} ] || {{ echo {RootMissingLine}; exit 0; }}\n");
        for (int i = 0; i < moves.Count; i++)
        {
            var move = moves[i];
            script.Append(CultureInfo.InvariantCulture, $"move {i} {(move.IsDirectory ? 'd' : 'f')} {PathWord(destination, move.From)} {PathWord(destination, move.To)}");
            foreach (string parent in MovedPaths.Parents(move))
            {
                script.Append(' ').Append(PathWord(destination, parent));
            }

            script.Append('\n');
        }

        return script.ToString();
    }

    /// <summary>Reads the script's output: one outcome per move, <see cref="RenameOutcome.Unknown"/> where no line came back.</summary>
    public static RenameOutcome[] Parse(string output, int moveCount)
    {
        var outcomes = Enumerable.Repeat(RenameOutcome.Unknown, moveCount).ToArray();
        foreach (string line in output.Split('\n'))
        {
            string[] words = line.TrimEnd('\r').Split(' ');
            if (words is [RootMissingLine])
            {
                Array.Fill(outcomes, RenameOutcome.RootMissing);
                continue;
            }

            if (words.Length < 2
                || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                || index >= moveCount)
            {
                continue;
            }

            outcomes[index] = words switch
            {
                ["ok", _] => RenameOutcome.Renamed,
                ["fail", _] => RenameOutcome.Failed,
                ["skip", _, "parent"] => RenameOutcome.ParentNotDirectory,
                ["skip", _, "source"] => RenameOutcome.SourceMissing,
                ["skip", _, "type"] => RenameOutcome.TypeMismatch,
                ["skip", _, "target"] => RenameOutcome.DestinationExists,
                _ => RenameOutcome.Unknown,
            };
        }

        return outcomes;
    }

    /// <summary>Single-quotes a string for sh: nothing inside '…' is special; a ' itself becomes '\''.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// One sh word for <paramref name="relative"/> below the node directory ("" = the directory itself): an absolute
    /// path, or "$HOME"/… when rsync would resolve the directory against the remote home.
    /// </summary>
    private static string PathWord(SshDestination destination, string relative)
    {
        if (!destination.RelativeToHome)
        {
            string root = destination.Directory == "/" ? "" : destination.Directory;
            return Quote(relative.Length == 0 ? destination.Directory : root + "/" + relative);
        }

        string below = string.Join('/', new[] { destination.Directory, relative }.Where(p => p.Length > 0));
        return below.Length == 0 ? "\"$HOME\"" : "\"$HOME\"/" + Quote(below);
    }
}
