namespace Inosync.Migration;

/// <summary>The old <c>extra</c> string: a shell ran the old rsync, so it is split as that shell split it.</summary>
internal static class ExtraArguments
{
    /// <summary>Adds the words of <paramref name="text"/> to <paramref name="extra"/>, and says so (and what shell
    /// syntax inosync will not interpret) in <paramref name="comments"/>.</summary>
    /// <exception cref="Configuration.ConfigException">The string cannot be split (an unclosed quote, …).</exception>
    public static void FromShellString(PyString text, string source, List<string> extra, List<string> comments)
    {
        IReadOnlyList<string> words = ShellWords.Split(text.Value, out string shellSyntax, out string? problem);
        if (problem is not null)
        {
            throw ConversionErrors.Value(source, text.Position, $"extra {TomlText.Quote(text.Value)}: {problem}");
        }

        extra.AddRange(words);
        if (words.Count > 0)
        {
            comments.Add($"extra: the old string {TomlText.Quote(text.Value)} split into one argument " +
                "per string, as the shell that ran the old rsync split it (inosync runs rsync without a shell)");
        }

        if (shellSyntax.Length > 0)
        {
            comments.Add($"check extra: the old string used shell syntax ({shellSyntax}) that the shell " +
                "interpreted; inosync passes these arguments as they are");
        }
    }
}
