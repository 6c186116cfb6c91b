using System.Text;

namespace Inosync.Renaming;

/// <summary>
/// The remote shell rsync would use for a node, so that inosync's own ssh call (for renames) goes exactly where
/// rsync goes, with the same port, key and host key checking: the last <c>-e</c>/<c>--rsh</c> among the extra
/// arguments, else <c>RSYNC_RSH</c>, else "ssh" — and split into words the way rsync splits it.
/// </summary>
internal static class RemoteShell
{
    public const string Default = "ssh";

    // rsync short options that take a value ("-T dir", "-Tdir"): in a cluster such as "-avT", the rest is the value.
    private const string ShortOptionsWithValue = "BefMT@";

    // rsync long options that take a value; written "--name value" the value is the next argument, which must not be
    // mistaken for an option (--exclude -e is an exclude pattern, not a remote shell).
    private static readonly HashSet<string> s_longOptionsWithValue = new(StringComparer.Ordinal)
    {
        "address", "backup-dir", "block-size", "bwlimit", "cc", "checksum-choice", "checksum-seed", "chmod", "chown",
        "compare-dest", "compress-choice", "compress-level", "config", "contimeout", "copy-as", "copy-dest", "debug",
        "dparam", "early-input", "exclude", "exclude-from", "files-from", "filter", "groupmap", "iconv", "include",
        "include-from", "info", "link-dest", "log-file", "log-file-format", "log-format", "max-alloc", "max-delete",
        "max-size", "min-size", "modify-window", "only-write-batch", "out-format", "outbuf", "partial-dir",
        "password-file", "port", "protocol", "read-batch", "remote-option", "rsh", "rsync-path", "skip-compress",
        "sockopts", "stderr", "stop-after", "stop-at", "suffix", "temp-dir", "time-limit", "timeout", "usermap",
        "write-batch", "zc", "zl",
    };

    /// <summary>The remote shell command as written (not yet split).</summary>
    public static string Command(IReadOnlyList<string> rsyncArguments, string? rsyncRshVariable)
    {
        string? command = null;
        for (int i = 0; i < rsyncArguments.Count; i++)
        {
            string argument = rsyncArguments[i];
            string? next = i + 1 < rsyncArguments.Count ? rsyncArguments[i + 1] : null;
            if (argument == "--")
            {
                break;
            }

            if (argument.StartsWith("--", StringComparison.Ordinal))
            {
                int equals = argument.IndexOf('=', StringComparison.Ordinal);
                string name = equals < 0 ? argument[2..] : argument[2..equals];
                if (equals >= 0)
                {
                    command = name == "rsh" ? argument[(equals + 1)..] : command;
                }
                else if (s_longOptionsWithValue.Contains(name))
                {
                    command = name == "rsh" ? next ?? command : command;
                    i++;
                }

                continue;
            }

            if (argument.Length < 2 || argument[0] != '-')
            {
                continue;
            }

            // A cluster of short options: flags until the first one that takes a value.
            for (int c = 1; c < argument.Length; c++)
            {
                if (!ShortOptionsWithValue.Contains(argument[c], StringComparison.Ordinal))
                {
                    continue;
                }

                bool attached = c + 1 < argument.Length;
                string? value = attached ? argument[(c + 1)..] : next;
                if (argument[c] == 'e' && value is not null)
                {
                    command = value;
                }

                if (!attached)
                {
                    i++;
                }

                break;
            }
        }

        return command ?? (string.IsNullOrWhiteSpace(rsyncRshVariable) ? Default : rsyncRshVariable);
    }

    /// <summary>
    /// Splits a remote shell command like rsync's do_cmd: words separated by spaces; single or double quotes group
    /// (the quotes are removed), and inside quotes a doubled quote character stands for itself. No backslash escapes.
    /// Returns null for an unterminated quote (rsync refuses those too).
    /// </summary>
    public static IReadOnlyList<string>? Split(string command)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (quote == '\0' && c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (quote == '\0' && c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == quote && i + 1 < command.Length && command[i + 1] == quote)
            {
                word.Append(c);
                i++;
            }
            else if (c == quote)
            {
                quote = '\0';
            }
            else
            {
                word.Append(c);
            }
        }

        if (quote != '\0')
        {
            return null;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
