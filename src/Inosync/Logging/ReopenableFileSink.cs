using System.Globalization;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Inosync.Cli.Logging;

/// <summary>
/// The log file, always written at exactly the configured path (so <c>tail -f</c> on it works), opened again on
/// SIGHUP so that logrotate, or a sysadmin who moved the file away, gets a fresh file without a restart.
/// With daily rotation the first event of a new day moves the file to <c>PATH.YYYYMMDD</c> (the day it holds) and
/// keeps the newest <see cref="KeptDays"/> of those; with external rotation it never renames anything.
/// </summary>
/// <remarks>
/// Serilog's own rolling file puts the date into the live file's name and stops at 1 GB, which is not what a
/// sysadmin who configured a path expects; its file sink has no reopen either. So this swaps a whole inner file
/// logger under a lock. The day is taken from each event's own timestamp (local time), which also makes the
/// rotation testable without a clock.
/// </remarks>
internal sealed class ReopenableFileSink : ILogEventSink, IDisposable
{
    public const int KeptDays = 14;

    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly string _template;
    private readonly bool _rotateDaily;
    private DateOnly? _day;
    private Logger _inner;

    public ReopenableFileSink(string path, string template, bool rotateDaily)
    {
        _path = path;
        _template = template;
        _rotateDaily = rotateDaily;
        _inner = Open();
    }

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_lock)
        {
            if (_rotateDaily)
            {
                var day = DateOnly.FromDateTime(logEvent.Timestamp.LocalDateTime);
                if (_day is { } current && day > current)
                {
                    Rotate(current);
                }

                _day = day;
            }

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

    private void Rotate(DateOnly finishedDay)
    {
        _inner.Dispose();
        try
        {
            string dated = $"{_path}.{finishedDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
            if (File.Exists(_path) && !File.Exists(dated))
            {
                File.Move(_path, dated);
            }

            DeleteOldDays();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Rotation failing must not stop logging: keep appending to the same path and try again tomorrow.
        }

        _inner = Open();
    }

    private void DeleteOldDays()
    {
        string directory = Path.GetDirectoryName(_path)!;
        string prefix = Path.GetFileName(_path) + ".";
        var days = Directory.EnumerateFiles(directory, prefix + "*")
            .Where(f => Path.GetFileName(f).Length == prefix.Length + 8 && Path.GetFileName(f)[prefix.Length..].All(char.IsAsciiDigit))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (string old in days.Take(Math.Max(0, days.Count - KeptDays)))
        {
            File.Delete(old);
        }
    }

    private Logger Open() => new LoggerConfiguration()
        .MinimumLevel.Verbose()
        .WriteTo.File(
            _path,
            outputTemplate: _template,
            formatProvider: CultureInfo.InvariantCulture,
            // Serilog stops writing at 1 GB by default; size is the rotation's business, not a silent cap.
            fileSizeLimitBytes: null,
            shared: false)
        .CreateLogger();
}
