using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Inosync.IntegrationTests.Support;

/// <summary>
/// The real inosync executable, started as a user would start it: no shell, its own process, stderr (the log)
/// collected line by line so tests can wait for what it says. Stopped by pid with real signals.
/// </summary>
public sealed class InosyncProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly StringBuilder _stdout = new();
    private readonly Lock _stdoutLock = new();
    private readonly Task _readers;

    private InosyncProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(ReadLinesAsync(process.StandardError, _stderr.Enqueue), ReadLinesAsync(process.StandardOutput, AppendStdout));
    }

    /// <summary>The apphost copied next to the test assembly by the project reference.</summary>
    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "inosync");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stderr so far (the log), one entry per line.</summary>
    public IReadOnlyList<string> Log => [.. _stderr];

    public string LogText => string.Join('\n', _stderr);

    /// <param name="arguments">The command line.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="executable">Another build of inosync to run (the native one); the apphost under test by default.</param>
    public static InosyncProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? executable = null)
    {
        var startInfo = new ProcessStartInfo(executable ?? ExecutablePath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("inosync did not start");
        process.StandardInput.Close();
        return new InosyncProcess(process);
    }

    /// <summary>Runs inosync to completion and returns how it ended.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null, string? executable = null)
    {
        await using var process = Start(arguments, executable: executable);
        int exitCode = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return new CliResult(exitCode, process.StdOut, process.LogText);
    }

    public static Task<CliResult> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    public string StdOut
    {
        get
        {
            lock (_stdoutLock)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Waits until a log line contains <paramref name="text"/>; fails with the log if it does not come in time.</summary>
    public async Task<string> WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            string? line = _stderr.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                await _readers;
                line = _stderr.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
                return line ?? throw new TimeoutException(
                    $"inosync exited with {_process.ExitCode} before logging '{text}'. Log:\n{LogText}");
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"inosync did not log '{text}' in time. Log:\n{LogText}");
    }

    /// <summary>Sends a signal to this process (by pid, with kill(1)).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL to the daemon alone, at once (a crash): its children (a running rsync) are left alone.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"inosync did not exit within {timeout}. Log:\n{LogText}");
        }

        await _readers;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _readers;
        _process.Dispose();
    }

    private void AppendStdout(string line)
    {
        lock (_stdoutLock)
        {
            _stdout.Append(line).Append('\n');
        }
    }

    private static async Task ReadLinesAsync(StreamReader reader, Action<string> sink)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            sink(line);
        }
    }
}
