namespace Inosync.Configuration;

/// <summary>Which kind of table a key sits in; each allows a different set of keys.</summary>
internal enum ConfigScope
{
    /// <summary>The top level of the file.</summary>
    Global,

    /// <summary>A [[sync]] table.</summary>
    Sync,

    /// <summary>A [[node]] or [[sync.node]] table.</summary>
    Node,
}
