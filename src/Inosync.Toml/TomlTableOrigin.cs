namespace Inosync.Toml;

/// <summary>How a table came to exist. TOML 1.0 allows a table to be defined once; what counts as
/// "defined" and what may still be extended afterwards depends on this.</summary>
internal enum TomlTableOrigin
{
    /// <summary>The document root.</summary>
    Root,

    /// <summary>Named only as a prefix of a header (<c>a</c> in <c>[a.b]</c>); a later <c>[a]</c> may still define it.</summary>
    Implicit,

    /// <summary>Defined by its own <c>[header]</c> or as an element of an array of tables (<c>[[header]]</c>).</summary>
    Header,

    /// <summary>Created by a dotted key (<c>a.b = 1</c> creates <c>a</c>); only more dotted keys in the same place may extend it.</summary>
    Dotted,

    /// <summary>An inline table <c>{ ... }</c>: complete once written, never extended.</summary>
    Inline,
}
