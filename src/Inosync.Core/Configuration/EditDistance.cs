namespace Inosync.Configuration;

/// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions), for "did you mean" hints.</summary>
internal static class EditDistance
{
    public static int Compute(string a, string b)
    {
        // Three rolling rows: the transposition step looks two rows back.
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int best = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, previous2[j - 2] + 1);
                }

                current[j] = best;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }

    /// <summary>The candidates nearest to <paramref name="word"/>, if any is close enough to be a likely typo.</summary>
    public static IReadOnlyList<string> Nearest(string word, IEnumerable<string> candidates)
    {
        string lowered = word.ToLowerInvariant();
        int bestDistance = int.MaxValue;
        var best = new List<string>();
        foreach (string candidate in candidates)
        {
            // Allow one edit per three characters (at least one, at most three): close enough to be
            // a typo, far enough apart that unrelated short keys are not suggested.
            int allowed = Math.Clamp(candidate.Length / 3, 1, 3);
            int distance = Compute(lowered, candidate);
            if (distance > allowed || distance > bestDistance)
            {
                continue;
            }

            if (distance < bestDistance)
            {
                bestDistance = distance;
                best.Clear();
            }

            best.Add(candidate);
        }

        return best;
    }
}
