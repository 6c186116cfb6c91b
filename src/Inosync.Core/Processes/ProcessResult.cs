namespace Inosync.Processes;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">The exit code; <see cref="NotStartedExitCode"/> when it could not be started.</param>
/// <param name="StandardOutput">The end of what it wrote to stdout (bounded: --stats is at the end).</param>
/// <param name="StandardError">The start of what it wrote to stderr (bounded: the first errors are the useful ones).</param>
/// <param name="Duration">Wall-clock time from start to exit.</param>
/// <param name="StartError">Why the process could not be started (e.g. the binary is missing), or null when it ran.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration, string? StartError = null)
{
    /// <summary>The exit code reported when the process never ran; real exit codes are 0-255.</summary>
    public const int NotStartedExitCode = -1;

    public bool Started => StartError is null;

    public static ProcessResult NotStarted(string error) => new(NotStartedExitCode, "", error, TimeSpan.Zero, error);

    /// <summary>The first non-empty line of stderr (or the start error), for one-line status reports.</summary>
    public string FirstErrorLine
    {
        get
        {
            foreach (var line in StandardError.AsSpan().EnumerateLines())
            {
                if (!line.IsWhiteSpace())
                {
                    return line.Trim().ToString();
                }
            }

            return "";
        }
    }
}
