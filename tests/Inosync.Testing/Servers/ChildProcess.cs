using System.ComponentModel;
using System.Diagnostics;

namespace Inosync.Testing.Servers;

/// <summary>Starts a program the way every fixture does: an argument list (no shell), stdout and stderr redirected, stdin closed.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <paramref name="fileName"/>; the caller reads its output and disposes it.</summary>
    /// <param name="fileName">The program (looked up on PATH when it has no '/').</param>
    /// <param name="arguments">Arguments, passed as they are.</param>
    /// <param name="environment">Extra environment variables for the child.</param>
    /// <param name="standardInput">What the child reads on stdin before end-of-file (nothing by default).</param>
    /// <exception cref="InvalidOperationException">The program cannot be run (not installed).</exception>
    public static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException($"Cannot run {fileName} ({ex.Message}): {ExternalTool.InstallHint}", ex);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        // The child must never read the test runner's stdin. Small inputs (scripts) fit in the pipe: no deadlock.
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        return process;
    }
}
