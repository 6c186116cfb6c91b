// The tests exercise inotify, rsync and POSIX file modes: they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
