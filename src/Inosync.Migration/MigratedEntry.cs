namespace Inosync.Migration;

/// <summary>One <c>key = value</c> line, with the comment lines that explain it.</summary>
internal sealed record MigratedEntry(string Key, MigratedValue Value, IReadOnlyList<string> Comments);
