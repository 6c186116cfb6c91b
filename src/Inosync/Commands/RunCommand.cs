using System.CommandLine;
using Inosync.Cli.Logging;
using Serilog;
using Inosync.Cli.Hosting;
using Inosync.Configuration;
using Inosync.Nodes;

namespace Inosync.Cli.Commands;

/// <summary><c>inosync -c FILE [-v] [-p] [--log-file PATH] [-d]</c>: the daemon itself.</summary>
internal static class RunCommand
{
    /// <summary>
    /// How long a clean stop may take: the workers' longest stop (<see cref="NodeWorkerOptions.LongestStop"/>) and a
    /// few seconds for the watcher's drain and the last status write.
    /// </summary>
    public static TimeSpan ShutdownTimeout { get; } = new NodeWorkerOptions().LongestStop + TimeSpan.FromSeconds(5);

    public static void Configure(RootCommand root, DaemonSignals signals)
    {
        Option<FileInfo> config = CommonOptions.Config(required: true);
        Option<bool> verbose = CommonOptions.Verbose();
        var pretend = new Option<bool>("--pretend", "-p")
        {
            Description = "Dry run: watch and log every rsync command that would run, with its file list, but run none.",
        };
        var logFile = new Option<FileInfo?>("--log-file")
        {
            Description = "Also log to this file (rotated per log_rotate, reopened on SIGHUP); overrides log_file in the config.",
            HelpName = "PATH",
        };
        var daemon = new Option<bool>("--daemon", "-d")
        {
            Description = "Start in the background (as the original inosync's -d): returns once the daemon runs; needs log_file. Under systemd, leave it out.",
        };
        root.Options.Add(config);
        root.Options.Add(verbose);
        root.Options.Add(pretend);
        root.Options.Add(logFile);
        root.Options.Add(daemon);

        root.SetAction((parseResult, _) => CommandErrors.GuardAsync(
            parseResult.GetValue(verbose),
            () => RunAsync(
                new RunOptions(
                    parseResult.GetRequiredValue(config).FullName,
                    parseResult.GetValue(verbose),
                    parseResult.GetValue(pretend),
                    parseResult.GetValue(logFile)?.FullName,
                    parseResult.GetValue(daemon)),
                signals)));
    }

    /// <summary>SIGHUP: logrotate moved the log file away. A path that cannot be opened now keeps the old file in use.</summary>
    private static void ReopenLog(ReopenableFileSink? fileSink)
    {
        try
        {
            fileSink?.Reopen();
            Log.Information("SIGHUP: log file reopened");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Error("SIGHUP: cannot reopen the log file: {Error}; still writing to the file open before", ex.Message);
        }
    }

    /// <summary>A missing rsync throws here and now; what its --version says comes with the task.</summary>
    private static Task<RsyncInfo[]> ProbeRsyncsAsync(InosyncConfig config, CancellationToken cancellationToken) =>
        Task.WhenAll([.. config.Syncs.Select(s => s.RsyncPath).Distinct(StringComparer.Ordinal).Select(rsync => RsyncProbe.ProbeAsync(rsync, cancellationToken))]);

    /// <summary><c>-d</c>: the configuration is checked here, in the foreground; the daemon runs as a second process.</summary>
    private static async Task<int> StartDetachedAsync(RunOptions options, InosyncConfig config, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new ConfigException("-d/--daemon works on Linux only; run inosync under a service manager instead", ExitCode.Usage);
        }

        string logFile = options.LogFile ?? config.LogFile
            ?? throw new ConfigException(
                $"{config.ConfigPath}: -d/--daemon needs a log file, since its output goes to /dev/null: set log_file or give --log-file", ExitCode.Usage);
        List<string> arguments = ["-c", options.ConfigPath, "--log-file", logFile];
        arguments.AddRange(options.Verbose ? ["--verbose"] : []);
        arguments.AddRange(options.Pretend ? ["--pretend"] : []);
        return await Detach.StartAsync(arguments, cancellationToken);
    }

    private static async Task<int> RunAsync(RunOptions options, DaemonSignals signals)
    {
        // A stuck stop (a bug) must still end: then exit as the signal's default action would have, 143 or 130.
        signals.Claim(ShutdownTimeout + TimeSpan.FromSeconds(15));
        CancellationToken cancellationToken = signals.Stopping;
        bool detached = OperatingSystem.IsLinux() && Detach.EnterIfChild();
        InosyncConfig config = ConfigLoader.Load(options.ConfigPath);

        // rsync --version is a process start (~10 ms): it runs while the watches are set up, and no node starts before it
        // succeeds (on a small tree, most of the time to the first sync).
        Task probed = ProbeRsyncsAsync(config, cancellationToken);
        if (options.Daemonize)
        {
            await probed;
            return await StartDetachedAsync(options, config, cancellationToken);
        }

        var (logger, fileSink) = LoggingSetup.Create(config.LogLevel, options.Verbose, options.LogFile ?? config.LogFile, config.LogRotation);
        Log.Logger = logger;
        try
        {
            // SIGHUP: reopen the log file (logrotate moved it away).
            signals.OnHangup(() => ReopenLog(fileSink));
            using IDisposable? instance = InstanceGuard.Acquire(config);
            Action? running = detached && OperatingSystem.IsLinux() ? Detach.ReportRunning : null;
            return await new Daemon(config, options, logger).RunAsync(probed, signals.Stopping, signals.Hurry, running);
        }
        finally
        {
            signals.OnHangup(null);
            await Log.CloseAndFlushAsync();
            fileSink?.Dispose();
        }
    }
}
