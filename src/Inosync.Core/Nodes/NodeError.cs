using Inosync.Processes;

namespace Inosync.Nodes;

/// <summary>The last failure of a node, for the status file.</summary>
/// <param name="At">When the failed rsync ended.</param>
/// <param name="ExitCode">rsync's exit code (<see cref="ProcessResult.NotStartedExitCode"/> when it could not be started).</param>
/// <param name="Message">The first line of rsync's stderr, or why it could not be started.</param>
public sealed record NodeError(DateTimeOffset At, int ExitCode, string Message);
