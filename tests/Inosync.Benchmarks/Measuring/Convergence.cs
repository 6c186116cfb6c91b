using System.Diagnostics;

namespace Inosync.Benchmarks.Measuring;

/// <summary>
/// Waits until a target directory holds an expected tree, cheaply enough to run beside the tool being measured
/// (the machine has few cores): a cursor walks the expected entries in order with one lstat each and stops at the
/// first one that is not there yet; the next pass, a few milliseconds later, resumes from it. When the cursor
/// reaches the end, one full walk of the target confirms there is nothing missing, different or extra (old files
/// a tool has not deleted yet); what still differs becomes the next list to watch. The time reported is when the
/// cursor last reached the end, before the confirming walk: the moment the target was seen complete.
/// </summary>
internal static class Convergence
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(3);

    /// <summary>The time on <paramref name="clock"/> at which the target was seen equal to
    /// <paramref name="expected"/>, or null if it was not within <paramref name="timeout"/>.</summary>
    public static TimeSpan? WaitFor(TreeSnapshot expected, string targetRoot, bool compareModified, Stopwatch clock, TimeSpan timeout) =>
        WaitFor(expected, targetRoot, compareModified, clock, timeout, out _);

    /// <inheritdoc cref="WaitFor(TreeSnapshot, string, bool, Stopwatch, TimeSpan)"/>
    /// <param name="missing">On timeout, what the target still lacked (up to 5 entries, for a message).</param>
    public static TimeSpan? WaitFor(TreeSnapshot expected, string targetRoot, bool compareModified, Stopwatch clock, TimeSpan timeout, out string missing)
    {
        missing = "";
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(clock);
        TimeSpan deadline = clock.Elapsed + timeout;
        IReadOnlyList<TreeEntry> pending = expected.Entries;
        int cursor = 0;
        while (true)
        {
            while (cursor < pending.Count && TreeSnapshot.Matches(targetRoot, pending[cursor], compareModified))
            {
                cursor++;
            }

            if (cursor == pending.Count)
            {
                TimeSpan seen = clock.Elapsed;
                List<TreeEntry> mismatches = expected.Mismatches(TreeSnapshot.Read(targetRoot), compareModified);
                if (mismatches.Count == 0)
                {
                    return seen;
                }

                pending = mismatches;
                cursor = 0;
            }

            if (clock.Elapsed > deadline)
            {
                missing = string.Join("; ", pending.Skip(cursor).Take(5).Select(e => $"{e.Path} ({e})"));
                return null;
            }

            Thread.Sleep(s_pollInterval);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false on timeout.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(interval ?? s_pollInterval);
        }

        return true;
    }
}
