using System.Globalization;
using System.Text;
using Inosync.Files;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Inosync.Cli.Logging;

/// <summary>
/// The log file, always written at exactly the configured path (so <c>tail -f</c> on it works), opened again on
/// SIGHUP so that logrotate, or a sysadmin who moved the file away, gets a fresh file without a restart.
/// With daily rotation the first event of a new day moves the file to <c>PATH.YYYYMMDD</c> (the day it holds) and
/// keeps the newest <see cref="KeptDays"/> of those; with external rotation it never renames anything.
/// </summary>
/// <remarks>
/// The file is opened here, with O_APPEND|O_CREAT|O_NOFOLLOW and mode 0640 (<see cref="SafeFile.OpenAppend"/>): the
/// daemon runs as root and the log's directory may be writable by others, who could otherwise plant a symbolic link
/// where logrotate has just moved the file away, and have root create or append to a file of their choosing.
/// Serilog's file sink opens by path, following links, so only its formatter is used. Each event is flushed, as that
/// sink does unbuffered. The day is taken from each event's own timestamp (local time), which also makes the rotation
/// testable without a clock.
/// </remarks>
internal sealed class ReopenableFileSink : ILogEventSink, IDisposable
{
    public const int KeptDays = 14;

    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly MessageTemplateTextFormatter _formatter;
    private readonly bool _rotateDaily;
    private DateOnly? _day;
    private StreamWriter _writer;

    /// <exception cref="IOException">The file cannot be opened (a symbolic link, a directory, not writable).</exception>
    public ReopenableFileSink(string path, string template, bool rotateDaily)
    {
        _path = path;
        _formatter = new MessageTemplateTextFormatter(template, CultureInfo.InvariantCulture);
        _rotateDaily = rotateDaily;
        _writer = Open();
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

            try
            {
                _formatter.Format(logEvent, _writer);
                _writer.Flush();
            }
            catch (IOException)
            {
                // A full disk must not take the daemon down; the console still has every line.
            }
        }
    }

    /// <summary>Opens the path afresh (after logrotate moved the file away); keeps writing to the old file when it cannot.</summary>
    /// <exception cref="IOException">The path cannot be opened now (a symbolic link was planted there, …); the message says why.</exception>
    public void Reopen()
    {
        lock (_lock)
        {
            StreamWriter fresh = Open();
            _writer.Dispose();
            _writer = fresh;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }

    private void Rotate(DateOnly finishedDay)
    {
        try
        {
            string dated = $"{_path}.{finishedDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
            if (File.Exists(_path) && !File.Exists(dated))
            {
                File.Move(_path, dated);
            }

            DeleteOldDays();
            StreamWriter fresh = Open();
            _writer.Dispose();
            _writer = fresh;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Rotation failing must not stop logging: keep appending to the file open now and try again tomorrow.
        }
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

    private StreamWriter Open() => new(SafeFile.OpenAppend(_path, Mode), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
}
