namespace Inosync.Migration;

/// <summary>
/// What an old inosync config file assigns: the final value of every name, in the order the names were first
/// assigned — what <c>import config</c> left in the module for the Python daemon to read.
/// </summary>
internal sealed class LegacyConfig
{
    private readonly Dictionary<string, LegacySetting> _byName;

    public LegacyConfig(string sourceName, IReadOnlyList<LegacySetting> settings)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(settings);
        SourceName = sourceName;
        Settings = settings;
        _byName = settings.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>The file as the user named it.</summary>
    public string SourceName { get; }

    public IReadOnlyList<LegacySetting> Settings { get; }

    public LegacySetting? this[string name] => _byName.GetValueOrDefault(name);
}
