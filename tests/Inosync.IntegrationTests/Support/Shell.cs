using System.Diagnostics;

namespace Inosync.IntegrationTests.Support;

/// <summary>For the few things .NET cannot express (byte names that are not UTF-8): /bin/sh with arguments passed
/// as positional parameters, never spliced into the script.</summary>
public static class Shell
{
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add("sh");
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"sh exited {process.ExitCode}: {stderr}");
        }

        return stdout;
    }
}
