using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>A value read from the file and where it was written, so later checks can point at it.</summary>
internal readonly record struct Setting<T>(T Value, TomlPosition Position);
