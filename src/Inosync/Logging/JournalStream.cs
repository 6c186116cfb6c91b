using System.Globalization;
using Inosync.Files;
using Microsoft.Win32.SafeHandles;

namespace Inosync.Cli.Logging;

/// <summary>
/// Whether stderr is connected to the systemd journal: systemd sets <c>JOURNAL_STREAM</c> to the device and inode
/// ("DEV:INO") of the stream it connected, and a stderr that is still that stream (not redirected by a wrapper
/// script) is the journal's. Then log lines carry the "&lt;N&gt;" priority prefix and no timestamp of their own.
/// </summary>
internal static class JournalStream
{
    public static bool IsStandardError()
    {
        string? value = Environment.GetEnvironmentVariable("JOURNAL_STREAM");
        if (!OperatingSystem.IsLinux() || string.IsNullOrEmpty(value) || value.Split(':') is not [string dev, string ino]
            || !ulong.TryParse(dev, NumberStyles.None, CultureInfo.InvariantCulture, out ulong device)
            || !ulong.TryParse(ino, NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
        {
            return false;
        }

        try
        {
            using var stderr = new SafeFileHandle(2, ownsHandle: false);
            UnixFileStatus status = UnixFileStatus.Of(stderr);
            return status.DeviceNumber == device && status.Inode == inode;
        }
        catch (IOException)
        {
            return false; // no stderr at all
        }
    }
}
