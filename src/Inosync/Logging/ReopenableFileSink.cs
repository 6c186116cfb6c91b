using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Inosync.Cli.Logging;

/// <summary>
/// The log file, written at exactly the configured path and opened again on SIGHUP, so that logrotate (or a
/// sysadmin who moved the file away) gets a fresh file without restarting the daemon. Rotation is logrotate's job
/// (samples/inosync.logrotate): Serilog's own rolling would put the date into the name, and `tail -f` on the
/// configured path would find nothing. Serilog's file sink has no reopen, so this swaps a whole inner file logger
/// under a lock.
/// </summary>
internal sealed class ReopenableFileSink : ILogEventSink, IDisposable
{
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly string _template;
    private Logger _inner;

    public ReopenableFileSink(string path, string template)
    {
        _path = path;
        _template = template;
        _inner = Open();
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            _inner.Write(logEvent);
        }
    }

    /// <summary>Closes the current file and opens the path again.</summary>
    public void Reopen()
    {
        lock (_lock)
        {
            _inner.Dispose();
            _inner = Open();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _inner.Dispose();
        }
    }

    private Logger Open() => new LoggerConfiguration()
        .MinimumLevel.Verbose()
        .WriteTo.File(
            _path,
            outputTemplate: _template,
            formatProvider: CultureInfo.InvariantCulture,
            // Serilog stops writing at 1 GB by default; size is logrotate's business here.
            fileSizeLimitBytes: null,
            shared: false)
        .CreateLogger();
}
