namespace Inosync.Rsync;

/// <summary>Checks on the directories and names of a batch before they go into a list rsync reads.</summary>
internal static class ListedPaths
{
    public static void ValidateDirectory(string directory)
    {
        if (directory.StartsWith('/') || directory.EndsWith('/') || directory.Contains("//", StringComparison.Ordinal)
            || directory.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not a relative directory: \"{directory}\".", nameof(directory));
        }
    }

    public static void ValidateName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal)
            || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Not a file name: \"{name}\".", nameof(name));
        }
    }
}
