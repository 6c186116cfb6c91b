// The tests exercise inotify, rsync and POSIX file modes, and use Inosync.Testing: they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
