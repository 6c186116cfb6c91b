using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Inosync.Processes;

/// <summary>
/// Runs one child process to completion: arguments through <see cref="ProcessStartInfo.ArgumentList"/> (never a
/// shell), stdin written then closed, stdout and stderr drained concurrently (so a chatty child can never block on a
/// full pipe while we block on stdin), then the exit code.
/// </summary>
/// <remarks>
/// Implementation notes (after dotnet/format ProcessRunner and actions/runner ProcessInvoker):
/// - Cancellation sends SIGTERM to the process and its descendants (rsync then removes its temp files), waits
///   <c>terminateGrace</c>, then SIGKILLs whatever is left of the tree, and only then throws
///   <see cref="OperationCanceledException"/>: when this method returns or throws, no child of ours is left running.
/// - The captured text is bounded: stdout keeps its tail (where --stats is), stderr its head (the first errors name
///   the failing paths). Both streams are still read to the end, so the child never blocks.
/// - A grandchild that outlives the child can hold the pipes open (an ssh ControlPersist master keeps stderr), so
///   end-of-file may never come: after the child exits we give the readers <c>s_drainAfterExit</c> to take
///   what is still in the pipes, then return with what was read rather than delay every batch.
/// </remarks>
public sealed class ProcessRunner
{
    private const int DefaultStandardOutputLimit = 16 * 1024;
    private const int StandardErrorLimit = 8 * 1024;

    /// <summary>How long the readers get after the child exited; the child's own output is already in the pipe.</summary>
    private static readonly TimeSpan s_drainAfterExit = TimeSpan.FromMilliseconds(500);

    private readonly TimeSpan _terminateGrace;
    private readonly int _standardOutputLimit;
    private readonly bool _standardErrorTail;

    /// <param name="terminateGrace">How long a cancelled process gets between SIGTERM and SIGKILL.</param>
    /// <param name="standardOutputLimit">How much of stdout is kept (its end: rsync's statistics come last).</param>
    /// <param name="standardErrorTail">Keep the end of stderr rather than its start: for a client that stops at the
    /// first failing command (lftp), the last lines say why; rsync names the failing paths first.</param>
    public ProcessRunner(TimeSpan terminateGrace, int standardOutputLimit = DefaultStandardOutputLimit, bool standardErrorTail = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terminateGrace, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(standardOutputLimit, 1);
        _terminateGrace = terminateGrace;
        _standardOutputLimit = standardOutputLimit;
        _standardErrorTail = standardErrorTail;
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/>. A binary that cannot be started is a
    /// <see cref="ProcessResult"/> with <see cref="ProcessResult.StartError"/> set, not an exception.
    /// </summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, each passed as is.</param>
    /// <param name="standardInput">What it reads on stdin (then closed).</param>
    /// <param name="cancellationToken">Terminates the process tree.</param>
    /// <param name="started">Told the process id once it runs (e.g. to watch it).</param>
    /// <exception cref="OperationCanceledException">Cancelled; the process tree has been terminated.</exception>
    public async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        ReadOnlyMemory<byte> standardInput,
        CancellationToken cancellationToken,
        Action<int>? started = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();

        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // always: the child must never read the daemon's own stdin
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            // ENOENT is by far the common case (rsync not installed, a wrong `rsync` key): say it plainly.
            var where = fileName.Contains('/', StringComparison.Ordinal) ? "at " + fileName : "on PATH";
            return ProcessResult.NotStarted(e.NativeErrorCode == Interop.Errno.ENOENT
                ? $"{Path.GetFileName(fileName)} not found {where}"
                : $"cannot run {fileName}: {e.Message}");
        }

        started?.Invoke(process.Id);
        var stdout = new BoundedText(_standardOutputLimit, keepTail: true);
        var stderr = new BoundedText(StandardErrorLimit, keepTail: _standardErrorTail);
        var readOutput = DrainAsync(process.StandardOutput, stdout);
        var readError = DrainAsync(process.StandardError, stderr);
        var writeInput = WriteInputAsync(process.StandardInput.BaseStream, standardInput);

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await TerminateAsync(process);
            await WaitForStreamsAsync(readOutput, readError, writeInput);
            throw;
        }

        await WaitForStreamsAsync(readOutput, readError, writeInput);
        stopwatch.Stop();
        return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), stopwatch.Elapsed);
    }

    private async Task TerminateAsync(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            // SIGTERM to the whole tree, as Ctrl-C would: rsync cleans up its temp files, and a child that
            // outlived rsync (its ssh, a wrapper's sleep) cannot keep our pipes open.
            var tree = ProcessTree.Snapshot(process.Id);
            tree.Signal(Interop.Libc.Signal.SIGTERM);
            using var grace = new CancellationTokenSource(_terminateGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // Grace period over: SIGKILL below.
            }

            // Also when it exited in time: a descendant that ignored SIGTERM must not outlive the run.
            tree.Signal(Interop.Libc.Signal.SIGKILL);
            if (!process.HasExited)
            {
                // Catches descendants started after the snapshot.
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // It exited between the checks: nothing left to kill.
        }
    }

    private static async Task WaitForStreamsAsync(Task readOutput, Task readError, Task writeInput)
    {
        try
        {
            await Task.WhenAll(readOutput, readError, writeInput).WaitAsync(s_drainAfterExit);
        }
        catch (TimeoutException)
        {
            // A grandchild still holds the pipes; the captured text is what we have.
        }
    }

    private static async Task DrainAsync(StreamReader reader, BoundedText text)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None)) > 0)
            {
                text.Append(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // The pipe broke: keep what was read.
        }
        catch (ObjectDisposedException)
        {
            // Abandoned after a timeout and the process object disposed.
        }
        finally
        {
            // Process.Dispose leaves a stream the caller has touched open (it may still hold it): close the pipe now,
            // not when the GC finalizes it (a busy daemon held dozens of pipes that way).
            reader.Dispose();
        }
    }

    private static async Task WriteInputAsync(Stream stdin, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            if (!bytes.IsEmpty)
            {
                await stdin.WriteAsync(bytes, CancellationToken.None);
            }
        }
        catch (IOException)
        {
            // EPIPE: the child exited without reading everything (e.g. a usage error); its exit code says why.
        }
        catch (ObjectDisposedException)
        {
            // The child is gone and the stream closed.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
                // Closing a broken pipe: nothing to do.
            }
        }
    }

    /// <summary>Keeps the head or the tail of a text stream of any length.</summary>
    private sealed class BoundedText
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _text = new();
        private readonly int _limit;
        private readonly bool _keepTail;
        private bool _truncated;

        public BoundedText(int limit, bool keepTail)
        {
            _limit = limit;
            _keepTail = keepTail;
        }

        public void Append(ReadOnlySpan<char> chars)
        {
            // A reader abandoned after s_drainAfterExit may still append while the result is being built.
            lock (_lock)
            {
                AppendLocked(chars);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return ToStringLocked();
            }
        }

        private void AppendLocked(ReadOnlySpan<char> chars)
        {
            if (!_keepTail)
            {
                var room = _limit - _text.Length;
                if (chars.Length > room)
                {
                    _truncated = true;
                    chars = chars[..Math.Max(room, 0)];
                }

                _text.Append(chars);
                return;
            }

            _text.Append(chars);
            if (_text.Length > 2 * _limit)
            {
                // Trim in big steps so appending stays amortised O(1).
                _text.Remove(0, _text.Length - _limit);
                _truncated = true;
            }
        }

        private string ToStringLocked()
        {
            if (_keepTail && _text.Length > _limit)
            {
                _text.Remove(0, _text.Length - _limit);
                _truncated = true;
            }

            return !_truncated ? _text.ToString() : _keepTail ? "[…]\n" + _text : _text + "\n[…]";
        }
    }
}
