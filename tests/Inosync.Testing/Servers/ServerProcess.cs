using System.Collections.Concurrent;
using System.Diagnostics;

namespace Inosync.Testing.Servers;

/// <summary>
/// A long-running server child (sshd -D, rsync --daemon --no-detach): started with an argument list, its output
/// kept (the last lines) for error messages, and stopped by pid — SIGTERM to it and to the per-connection children
/// it forked, a grace period, then SIGKILL to whatever is left. Nothing else is ever signalled.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int MaxLogLines = 400;

    private readonly Process _process;
    private readonly ProcessIdentity _identity;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, ProcessIdentity identity)
    {
        _process = process;
        _identity = identity;
    }

    public int Pid => _identity.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server wrote to stdout and stderr.</summary>
    public string Output => string.Join('\n', _output);

    public static ServerProcess Start(string fileName, IEnumerable<string> arguments)
    {
        var process = ChildProcess.Start(fileName, arguments);
        var identity = ProcessTree.Identify(process.Id) ?? new ProcessIdentity(process.Id, 0);
        var server = new ServerProcess(process, identity);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until <paramref name="ready"/> holds (true) or the process exits or the timeout passes (false).</summary>
    public async Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (await ready(cancellationToken))
            {
                return true;
            }

            if (HasExited)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
        }

        return false;
    }

    /// <summary>SIGTERM to the server and its descendants, up to <paramref name="grace"/> to exit, then SIGKILL.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        // Collect the connection children first: once the listener is gone they are re-parented and unfindable.
        var tree = new List<ProcessIdentity> { _identity };
        tree.AddRange(ProcessTree.Descendants(_identity.Pid));
        foreach (var process in tree)
        {
            ProcessTree.Signal(process, Interop.Libc.Signal.SIGTERM);
        }

        var deadline = Stopwatch.StartNew();
        while (tree.Exists(ProcessTree.IsAlive) && deadline.Elapsed < grace)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        foreach (var process in tree)
        {
            ProcessTree.Signal(process, Interop.Libc.Signal.SIGKILL);
        }

        // Reaps the child and lets the output readers reach end-of-file.
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(3));
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > MaxLogLines && _output.TryDequeue(out _))
        {
        }
    }
}
