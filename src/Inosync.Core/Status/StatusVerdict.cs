namespace Inosync.Status;

/// <summary>What <c>inosync status</c> concludes from a status file.</summary>
/// <param name="ExitCode">0 healthy, 1 a node failing, 69 the daemon is not running.</param>
/// <param name="Summary">One line for humans and monitoring plugins, starting with OK, FAILING or NOT RUNNING.</param>
public sealed record StatusVerdict(ExitCode ExitCode, string Summary);
