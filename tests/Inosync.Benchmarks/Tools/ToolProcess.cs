using System.Diagnostics;
using Inosync.Benchmarks.Measuring;

namespace Inosync.Benchmarks.Tools;

/// <summary>
/// A running tool: its process (no shell unless the tool is one), stdout and stderr copied to a log file, and a
/// stop that signals by pid and leaves nothing of the tree running.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly bool _signalWholeTree;
    private bool _stopped;

    private ToolProcess(Process process, StreamWriter log, bool signalWholeTree)
    {
        _process = process;
        _log = log;
        _signalWholeTree = signalWholeTree;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogPath { get; private init; } = "";

    /// <param name="startInfo">What to run; its redirection settings are set here.</param>
    /// <param name="logPath">Where stdout and stderr go.</param>
    /// <param name="signalWholeTree">On stop, SIGTERM every process of the tree (a shell pipeline), not just the root.</param>
    public static ToolProcess Start(ProcessStartInfo startInfo, string logPath, bool signalWholeTree)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo };
        var tool = new ToolProcess(process, log, signalWholeTree) { LogPath = logPath };
        process.OutputDataReceived += (_, e) => tool.Write(e.Data);
        process.ErrorDataReceived += (_, e) => tool.Write(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>The last lines of the log, for an error message.</summary>
    public string LogTail(int lines = 15)
    {
        lock (_logLock)
        {
            _log.Flush();
        }

        try
        {
            string[] all = File.ReadAllLines(LogPath);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>SIGTERM (to the root, or to the whole tree), up to 15 s to exit, then SIGKILL to whatever of the
    /// tree is left. Only processes of this tree are signalled, each by pid (checked against its start time).</summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        List<ProcessStat> tree = ProcessTree.Snapshot(_process.Id);
        if (!_process.HasExited)
        {
            foreach (ProcessStat p in _signalWholeTree ? tree : tree.Take(1))
            {
                _ = Interop.Libc.Kill(p.Pid, Interop.Libc.SIGTERM);
            }

            if (!_process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                _ = Interop.Libc.Kill(_process.Id, Interop.Libc.SIGKILL);
            }
        }

        // Descendants that outlived the root (say, inotifywait after its shell) were reparented: kill them by pid.
        foreach (ProcessStat p in tree.Skip(1))
        {
            if (ProcessTree.Read(p.Pid) is { } now && now.StartTime == p.StartTime)
            {
                _ = Interop.Libc.Kill(p.Pid, Interop.Libc.SIGKILL);
            }
        }

        _process.WaitForExit(); // also waits for the redirected streams to reach EOF
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.WriteLine(line);
        }
    }
}
