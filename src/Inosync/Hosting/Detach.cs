using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Inosync.Configuration;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Cli.Hosting;

/// <summary>
/// <c>-d</c>/<c>--daemon</c>, the original inosync's way to run in the background. .NET cannot fork, so the command
/// starts itself again without <c>-d</c> and waits: the second process leaves the terminal's session (setsid),
/// runs as usual and, once every watch is set, says so on its stdout and points its standard streams at
/// /dev/null; the first then exits 0. Until then the second's stderr (its log) is relayed if it fails, and the first
/// exits with its exit code, so an init script sees the real error. systemd needs none of this (Type=notify).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class Detach
{
    /// <summary>Set by the first process for the second only, and removed by the second at once.</summary>
    private const string ChildVariable = "INOSYNC_DETACHED_CHILD";

    private const string RunningLine = "inosync: running";

    // What the second process wrote before it failed: its first lines say why.
    private const int ErrorLimit = 16 * 1024;

    /// <summary>Whether this is the second process of <c>-d</c>; if so, it has left the terminal's session.</summary>
    public static bool EnterIfChild()
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) is null)
        {
            return false;
        }

        Environment.SetEnvironmentVariable(ChildVariable, null);
        Interop.Libc.SetSid();
        return true;
    }

    /// <summary>The second process is up: tell the first, then let go of its standard streams.</summary>
    public static void ReportRunning()
    {
        try
        {
            using Stream stdout = Console.OpenStandardOutput();
            stdout.Write(Encoding.UTF8.GetBytes(RunningLine + "\n"));
            stdout.Flush();
        }
        catch (IOException)
        {
            // The first process is gone (killed while it waited): nobody to tell; the daemon runs on.
        }

        using SafeFileHandle devNull = Interop.Libc.Open("/dev/null", Interop.Libc.O_RDWR | Interop.Libc.O_CLOEXEC, 0);
        int descriptor = (int)devNull.DangerousGetHandle();
        foreach (int standard in (int[])[0, 1, 2])
        {
            if (Interop.Libc.Dup2(descriptor, standard) < 0)
            {
                throw new IOException($"dup2 onto {standard}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
    }

    /// <summary>Starts the second process with <paramref name="arguments"/> and returns once it runs (0) or has failed (its exit code).</summary>
    public static async Task<int> StartAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        string self = Environment.ProcessPath ?? throw new ConfigException("-d: cannot find inosync's own executable", ExitCode.Software);
        var start = new ProcessStartInfo(self)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Run as "dotnet inosync.dll", the entry assembly comes first.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[ChildVariable] = "1";
        using var child = Process.Start(start) ?? throw new ConfigException($"-d: cannot start {self}", ExitCode.Software);
        child.StandardInput.Close();

        // Drained all along: a child that logs a lot before it is up must not block on a full pipe.
        var errors = new StringBuilder();
        Task draining = DrainAsync(child.StandardError, errors);
        string? line;
        while ((line = await child.StandardOutput.ReadLineAsync(cancellationToken)) is not null)
        {
            if (line == RunningLine)
            {
                return (int)ExitCode.Ok;
            }
        }

        await child.WaitForExitAsync(cancellationToken);
        await draining;
        await Console.Error.WriteAsync(errors.ToString());
        return child.ExitCode != 0 ? child.ExitCode : (int)ExitCode.Software;
    }

    private static async Task DrainAsync(StreamReader reader, StringBuilder text)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length < ErrorLimit)
            {
                text.Append(buffer, 0, Math.Min(read, ErrorLimit - text.Length));
            }
        }
    }
}
