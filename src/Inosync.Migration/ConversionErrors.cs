using Inosync.Configuration;

namespace Inosync.Migration;

/// <summary>
/// The messages of <c>inosync convert</c>: one line, <c>OLD.py:LINE:COL: cannot convert: …</c>, exit code 78.
/// </summary>
internal static class ConversionErrors
{
    public const string SupportedSubset = "only simple assignments of strings, numbers, lists and + are supported";

    /// <summary>Valid Python that is more than a list of assignments (imports, calls, loops, …).</summary>
    public static ConfigException Unsupported(string source, PyPosition at, string what) =>
        new($"{source}:{at}: cannot convert: {what} ({SupportedSubset})", ExitCode.Config);

    /// <summary>Text Python itself would reject (an unterminated string, an unclosed bracket, …).</summary>
    public static ConfigException Invalid(string source, PyPosition at, string what) =>
        new($"{source}:{at}: cannot convert: invalid Python: {what}", ExitCode.Config);

    /// <summary>A value that was read but has no faithful equivalent in sync.toml (wrong type, out of range, …).</summary>
    public static ConfigException Value(string source, PyPosition at, string what) =>
        new($"{source}:{at}: cannot convert: {what}", ExitCode.Config);

    /// <summary>Something the file as a whole lacks (no wpath, no rnodes).</summary>
    public static ConfigException Missing(string source, string what) =>
        new($"{source}: cannot convert: {what}", ExitCode.Config);
}
