namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// The names the workload gives to files, directories and symlinks, as <see cref="Testing.RawFiles.RawName"/> strings.
/// A small pool of plain names makes the same path come back as another type (file, then directory, then symlink);
/// the awkward ones are every name that broke an rsync-based tool somewhere, plus byte names that are not UTF-8.
/// </summary>
internal static class ChurnNames
{
    public static readonly IReadOnlyList<string> Plain = [.. Enumerable.Range(0, 24).Select(i => $"n{i}")];

    public static readonly IReadOnlyList<string> Awkward =
    [
        "with space", " lead", "trail ", "new\nline", "tab\tname", "-dash", "--delete", "-rf",
        "star*", "q?", "[br]", "x]y", "back\\slash", "\\", "it's", "say \"hi\"", "a b*c?d[e]f\\g",
        "***", "dir***", ".hidden", "..two", "$(x)", "`y`", ";z", "%s%n",
        "caf\u00e9",           // NFC: é as one code point
        "cafe\u0301",          // NFD: e + combining acute; a different name on Linux
        "\u65e5\u672c\u8a9e",  // 日本語
        "emoji \U0001F389",    // outside the BMP (a surrogate pair in .NET)
        new string('L', 255),                          // 255 bytes, the longest name ext4 takes
        string.Concat(Enumerable.Repeat("\u00e9", 127)) + "x", // 255 bytes of mostly 2-byte characters
    ];

    /// <summary>Names that are not valid UTF-8 (RawName escapes: U+DC00 + byte).</summary>
    public static readonly IReadOnlyList<string> NotUtf8 =
    [
        "bad\udcff",                  // 0xFF never occurs in UTF-8
        "caf\udce9",                  // Latin-1 é
        "\udcc3(",                    // a lead byte followed by ASCII
        "\udced\udca0\udc80 cesu",    // an encoded surrogate (CESU-8), which UTF-8 forbids
    ];
}
