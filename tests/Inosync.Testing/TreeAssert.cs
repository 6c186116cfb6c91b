using FluentAssertions.Common;

namespace Inosync.Testing;

/// <summary>Assertions on whole trees, worded with <see cref="TreeComparer.Differences"/>.</summary>
public static class TreeAssert
{
    private const int DifferencesShown = 20;

    /// <summary>Fails, listing the first differences, when the trees under the two roots differ.</summary>
    public static void Equal(string expectedRoot, string actualRoot)
    {
        var differences = TreeComparer.Differences(expectedRoot, actualRoot);
        if (differences.Count > 0)
        {
            // The test framework's own failure exception (xunit's here), as a FluentAssertions assertion would throw.
            Services.ThrowException(
                $"{differences.Count} differences between {expectedRoot} and {actualRoot}:\n  "
                + string.Join("\n  ", differences.Take(DifferencesShown))
                + (differences.Count > DifferencesShown ? "\n  …" : ""));
        }
    }
}
