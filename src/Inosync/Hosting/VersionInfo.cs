using System.Reflection;

namespace Inosync.Cli.Hosting;

internal static class VersionInfo
{
    /// <summary>The informational version without the source-revision suffix ("0.1.0", not "0.1.0+3f2a…").</summary>
    public static string Version { get; } =
        (typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
