namespace Inosync.IntegrationTests.Support;

/// <summary>A node beyond the local targets: its [[node]] table, and the directory on this machine where its data lands.</summary>
public sealed record ScenarioNode(string Toml, string LocalPath);
