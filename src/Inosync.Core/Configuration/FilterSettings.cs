using System.Text;
using Inosync.Filtering;
using Inosync.Files;
using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>
/// The filter keys of one table (the top level or a [[sync]]), each null when absent, and the rule list they make:
/// rexcludes, then exclude_from, then filter, then filter_from, as if given to rsync in that order. Each key is
/// inherited from the top level on its own, like the other sync keys.
/// </summary>
internal sealed class FilterSettings
{
    // A rules file is a list of patterns; anything this big is a mistake (a log, a device).
    private const int MaxRulesFileBytes = 1024 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private FilterSettings(ConfigSource source) => Source = source;

    public ConfigSource Source { get; }
    public IReadOnlyList<Setting<string>>? Excludes { get; private init; }
    public Setting<string>? ExcludeFrom { get; private init; }
    public IReadOnlyList<Setting<string>>? Filter { get; private init; }
    public Setting<string>? FilterFrom { get; private init; }

    public static FilterSettings Read(TableReader table) => new(table.Source)
    {
        Excludes = table.Strings(ConfigKeys.Excludes, allowEmptyItems: true)?.Value,
        ExcludeFrom = table.Path(ConfigKeys.ExcludeFrom),
        Filter = table.Strings(ConfigKeys.Filter, allowEmptyItems: true)?.Value,
        FilterFrom = table.Path(ConfigKeys.FilterFrom),
    };

    /// <summary>The effective rules (after any clear) and a warning for each rule that is ignored or can never match.</summary>
    /// <exception cref="ConfigException">A rule rsync would refuse, or a rules file that cannot be used; the message names its place.</exception>
    public static (PathFilter Filter, IReadOnlyList<string> Warnings) Build(FilterSettings own, FilterSettings? defaults)
    {
        var builder = new FilterListBuilder();
        var warnings = new List<string>();

        // Both tables come from one file: one source locates them all.
        ConfigSource source = own.Source;
        AddInline(own.Excludes ?? defaults?.Excludes, source, ConfigKeys.Excludes, builder.AddExclude, warnings);
        AddFile(own.ExcludeFrom ?? defaults?.ExcludeFrom, source, ConfigKeys.ExcludeFrom, builder.AddExcludeFileLine);
        AddInline(own.Filter ?? defaults?.Filter, source, ConfigKeys.Filter, builder.AddFilterRule, warnings);
        AddFile(own.FilterFrom ?? defaults?.FilterFrom, source, ConfigKeys.FilterFrom, builder.AddFilterRule);

        var filter = new PathFilter(builder.Rules);
        foreach ((FilterRule rule, string problem) in filter.NeverMatching)
        {
            warnings.Add($"{rule.Origin}: the pattern \"{rule.Pattern}\" can never match ({problem}); rsync accepts it, and so does inosync");
        }

        return (filter, warnings);
    }

    private static void AddInline(
        IReadOnlyList<Setting<string>>? items, ConfigSource source, string key, Action<string, string> add, List<string> warnings)
    {
        foreach (Setting<string> item in items ?? [])
        {
            string origin = source.Locate(item.Position);
            if (item.Value.Length == 0)
            {
                warnings.Add($"{origin}: an empty '{key}' item is ignored, as rsync ignores it");
                continue;
            }

            try
            {
                add(item.Value, origin);
            }
            catch (FormatException e)
            {
                throw source.Error(item.Position, $"'{key}': {e.Message}");
            }
        }
    }

    private static void AddFile(Setting<string>? path, ConfigSource source, string key, Action<string, string> add)
    {
        if (path is not { } file)
        {
            return;
        }

        string content = ReadRulesFile(file, source, key);
        foreach ((int line, string text) in FilterListBuilder.RuleLines(content))
        {
            string origin = $"{file.Value}:{line}";
            try
            {
                add(text, origin);
            }
            catch (FormatException e)
            {
                throw new ConfigException($"{origin}: {e.Message} (the '{key}' file of {source.Locate(file.Position)})");
            }
        }
    }

    private static string ReadRulesFile(Setting<string> file, ConfigSource source, string key)
    {
        byte[] bytes;
        try
        {
            bytes = OperatingSystem.IsLinux() ? BoundedFile.ReadAllBytes(file.Value, MaxRulesFileBytes) : File.ReadAllBytes(file.Value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw source.Error(file.Position, $"'{key}' file '{file.Value}' cannot be read: {ConfigLoader.ReadFailure(e)}", ExitCode.NoInput);
        }

        // The rules decide what is synced and what is deleted on the nodes: a file every user may write would let
        // any of them change that for the next start of a daemon that runs as root.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file.Value) & UnixFileMode.OtherWrite) != 0)
        {
            throw source.Error(file.Position, $"'{key}' file '{file.Value}' is writable by every user (chmod o-w '{file.Value}')");
        }

        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw source.Error(file.Position, $"'{key}' file '{file.Value}' is not valid UTF-8");
        }
    }
}
