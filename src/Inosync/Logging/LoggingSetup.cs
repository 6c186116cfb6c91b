using Inosync.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace Inosync.Cli.Logging;

/// <summary>The one place where Serilog is configured (the composition root calls it).</summary>
internal static class LoggingSetup
{
    private const string ConsoleTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}";
    private const string ConsoleTemplateVerbose = "{Timestamp:HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";
    private const string JournalTemplate = "<{SyslogPriority}>{Message:lj}{NewLine}";
    private const string JournalTemplateVerbose = "<{SyslogPriority}>{Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3} {Message:lj}{NewLine}";
    private const string FileTemplateVerbose = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} {Level:u3} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Creates the process-wide logger: the console (stderr, so stdout stays for command output) and, when
    /// <paramref name="logFile"/> is set, that file (rotated daily by inosync or by an external tool, reopened on SIGHUP). Stack traces only when
    /// <paramref name="verbose"/>. When stderr is the systemd journal (<see cref="JournalStream"/>), console lines
    /// carry the syslog priority ("&lt;4&gt;…") and no timestamp: the journal has both. Returns the file sink so SIGHUP
    /// can reopen it (logrotate).
    /// </summary>
    public static (Logger Logger, ReopenableFileSink? FileSink) Create(LogEventLevel level, bool verbose, string? logFile, LogRotation rotation)
    {
        bool journal = JournalStream.IsStandardError();
        string consoleTemplate = (journal, verbose) switch
        {
            (true, true) => JournalTemplateVerbose,
            (true, false) => JournalTemplate,
            (false, true) => ConsoleTemplateVerbose,
            _ => ConsoleTemplate,
        };
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : level)
            .Enrich.With(new DisplaySafeEnricher());
        if (journal)
        {
            configuration = configuration.Enrich.With(new SyslogPriorityEnricher());
        }

        configuration = configuration
            .WriteTo.Console(
                outputTemplate: consoleTemplate,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Verbose,
                theme: journal || Console.IsErrorRedirected ? ConsoleTheme.None : AnsiConsoleTheme.Code);

        ReopenableFileSink? fileSink = null;
        if (logFile is not null)
        {
            fileSink = OpenLogFile(logFile, verbose ? FileTemplateVerbose : FileTemplate, rotation);
            configuration = configuration.WriteTo.Sink(fileSink);
        }

        return (configuration.CreateLogger(), fileSink);
    }

    /// <summary>
    /// Opens the log file up front (creating its directory, and the file 0640), so that one that cannot be written stops
    /// the start instead of failing silently; a symbolic link, a directory or a file that is not writable is refused.
    /// </summary>
    /// <exception cref="ConfigException">It cannot be written (exit code 73).</exception>
    internal static ReopenableFileSink OpenLogFile(string logFile, string template, LogRotation rotation)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
            return new ReopenableFileSink(logFile, template, rotation == LogRotation.Daily);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{logFile}: cannot write the log file: {ex.Message}", ExitCode.CantCreate, ex);
        }
    }
}
