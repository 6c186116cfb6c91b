namespace Inosync.Benchmarks.Measuring;

/// <summary>Percentiles and medians (linear interpolation between closest ranks).</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.Order()];
        double rank = percentile / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        if (low == high || double.IsInfinity(sorted[high]))
        {
            return low == high ? sorted[low] : sorted[high];
        }

        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>The median; NaN when empty. A run that did not finish counts as +∞, so it can be the median.</summary>
    public static double Median(IEnumerable<double> values) => Percentile([.. values.Where(v => !double.IsNaN(v))], 50);
}
