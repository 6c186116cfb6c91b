namespace Inosync.Cli.Hosting;

/// <summary>What <c>rsync --version</c> said about the binary a sync will run.</summary>
internal sealed record RsyncInfo(string Path, string VersionLine);
