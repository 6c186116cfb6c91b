namespace Inosync.Migration;

/// <summary>One watched tree of an old config: its wpath, its rpath when it had one, and what to say about it.</summary>
internal sealed record LegacyTree(PyString WatchPath, PyString? RemotePath, string Comment);
