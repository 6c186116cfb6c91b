namespace Inosync.Migration;

/// <summary>The converted configuration, in the order it is written.</summary>
/// <param name="SourceName">The old file as the user named it.</param>
/// <param name="TopLevel">The top-level keys.</param>
/// <param name="Notes">Comment lines after the top-level keys: what was not carried over, and why.</param>
/// <param name="Tables">The tables, in order.</param>
internal sealed record MigratedConfig(
    string SourceName,
    IReadOnlyList<MigratedEntry> TopLevel,
    IReadOnlyList<string> Notes,
    IReadOnlyList<MigratedTable> Tables);
