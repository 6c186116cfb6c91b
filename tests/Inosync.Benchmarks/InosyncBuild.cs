using System.Diagnostics;

namespace Inosync.Benchmarks;

/// <summary>Finds the repository and builds the inosync to measure.</summary>
internal static class InosyncBuild
{
    public static string? FindRepository()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "inosync.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>dotnet publish src/Inosync -c Release -r linux-x64: the native executable users install (see docs/benchmarks.md).</summary>
    public static string Publish(string? repository)
    {
        if (repository is null)
        {
            throw new InvalidOperationException("Run from inside the inosync repository, or give --inosync PATH.");
        }

        string output = Path.Combine(repository, "artifacts", "bench", "inosync");
        Console.WriteLine($"publishing src/Inosync (Release, NativeAOT) to {output}");
        var startInfo = new ProcessStartInfo("dotnet") { UseShellExecute = false, ArgumentList = { "publish", Path.Combine(repository, "src", "Inosync"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "quiet" } };
        using var process = Process.Start(startInfo)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish src/Inosync failed with exit code {process.ExitCode}");
        }

        return Path.Combine(output, "inosync");
    }
}
