namespace Inosync.Migration;

/// <summary>A <c>[[sync]]</c>, <c>[[node]]</c> or <c>[[sync.node]]</c> table.</summary>
internal sealed record MigratedTable(string Header, IReadOnlyList<string> Comments, IReadOnlyList<MigratedEntry> Entries);
