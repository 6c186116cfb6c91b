using System.Runtime.InteropServices;

namespace Inosync.Cli.Hosting;

/// <summary>
/// SIGHUP, SIGINT and SIGTERM for the daemon, handled from the first line of Main: a SIGHUP sent while the daemon is
/// still loading its configuration must not kill it (its default action), and a second SIGTERM must shorten a slow stop.
/// </summary>
/// <remarks>
/// - Until <see cref="Claim"/> or <see cref="Release"/>, SIGHUP is ignored and SIGINT/SIGTERM keep their default
///   action (nothing has started that a stop would have to finish). The other commands (check, status, convert)
///   release the handlers and get the default actions back.
/// - Once claimed, the first SIGINT/SIGTERM cancels <see cref="Stopping"/> (a clean stop), a second one cancels
///   <see cref="Hurry"/> (a fast stop), and if the process is still alive <c>forceExitAfter</c> after the first it
///   exits with 128 + the signal number, as the default action would have.
/// - Handlers run on a runtime thread: they only cancel tokens and call the hangup action.
/// </remarks>
internal sealed class DaemonSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _hurry = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Lock _lock = new();
    private Action? _hangup;
    private bool _claimed;
    private TimeSpan _forceExitAfter;
    private Timer? _forcedExit;

    public DaemonSignals()
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStop));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStop));
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM after <see cref="Claim"/>: stop cleanly.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by the second one: end running rsyncs now and leave pending changes unsynced.</summary>
    public CancellationToken Hurry => _hurry.Token;

    /// <summary>The daemon runs: SIGINT/SIGTERM stop it through the tokens from now on.</summary>
    public void Claim(TimeSpan forceExitAfter)
    {
        lock (_lock)
        {
            _claimed = true;
            _forceExitAfter = forceExitAfter;
        }
    }

    /// <summary>Not the daemon: every signal gets its default action back.</summary>
    public void Release() => Dispose();

    /// <summary>What SIGHUP does from now on (reopen the log file); null: ignore it.</summary>
    public void OnHangup(Action? action)
    {
        lock (_lock)
        {
            _hangup = action;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }

            _registrations.Clear();
            _forcedExit?.Dispose();
        }

        _stopping.Dispose();
        _hurry.Dispose();
    }

    private void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true;
        Action? action;
        lock (_lock)
        {
            action = _hangup;
        }

        action?.Invoke();
    }

    private void OnStop(PosixSignalContext context)
    {
        CancellationTokenSource cancel;
        lock (_lock)
        {
            if (!_claimed)
            {
                return;
            }

            cancel = _stopping.IsCancellationRequested ? _hurry : _stopping;
            if (_forcedExit is null)
            {
                int exitCode = 128 + (context.Signal == PosixSignal.SIGINT ? 2 : 15);
                _forcedExit = new Timer(_ => Environment.Exit(exitCode), null, _forceExitAfter, Timeout.InfiniteTimeSpan);
            }
        }

        context.Cancel = true;

        // Outside the lock: cancellation runs the stop's continuations.
        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Main has returned already.
        }
    }
}
