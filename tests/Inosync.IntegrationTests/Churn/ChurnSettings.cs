using System.Globalization;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// How much churn to run, from the environment (see docs/reliability.md):
/// INOSYNC_CHURN_SEED=S replays seed S (with INOSYNC_CHURN_SEEDS=N: seeds S … S+N-1), INOSYNC_CHURN_SEEDS=N runs N
/// seeds (default 5), INOSYNC_CHURN_OPS=M applies M operations per seed (default 2000). Without a seed, every run
/// draws fresh seeds and prints them, so CI keeps exploring new sequences and any failure can be replayed.
/// </summary>
internal static class ChurnSettings
{
    public const int DefaultSeeds = 5;
    public const int DefaultOperations = 2000;

    private static readonly int s_base = Read("INOSYNC_CHURN_SEED") ?? Random.Shared.Next(1, 1_000_000);

    public static bool SeedGiven => Read("INOSYNC_CHURN_SEED") is not null;

    public static int Operations => Read("INOSYNC_CHURN_OPS") ?? DefaultOperations;

    /// <summary>Operations per fault test: half the churn's (1000 by default), scaled by INOSYNC_CHURN_OPS too.</summary>
    public static int FaultOperations => Math.Max(100, Operations / 2);

    /// <summary>The seeds of the churn test: one when a seed is given (unless INOSYNC_CHURN_SEEDS says more).</summary>
    public static IReadOnlyList<int> Seeds
    {
        get
        {
            int count = Read("INOSYNC_CHURN_SEEDS") ?? (SeedGiven ? 1 : DefaultSeeds);
            return [.. Enumerable.Range(0, count).Select(i => s_base + i)];
        }
    }

    /// <summary>The seed of a fault test: the given seed, else a fresh one per test (printed on failure).</summary>
    public static int FaultSeed(int offset) => SeedGiven ? s_base : s_base + 1000 + offset;

    /// <summary>How to replay one seed.</summary>
    public static string ReplayHint(int seed, int operations, string test) =>
        string.Create(CultureInfo.InvariantCulture,
            $"replay: INOSYNC_CHURN_SEED={seed} INOSYNC_CHURN_OPS={operations} dotnet test tests/Inosync.IntegrationTests --filter \"FullyQualifiedName~{test}\"");

    private static int? Read(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0
            ? parsed
            : throw new InvalidOperationException($"{name} must be a positive integer, not '{value}'.");
    }
}
