namespace Inosync.Rsync;

/// <summary>The three shapes of <see cref="RsyncCommand"/> (see its remarks).</summary>
public enum RsyncShape
{
    /// <summary>The whole tree, with <c>--delete</c>.</summary>
    FullSync,

    /// <summary>Listed entries through include filters, with <c>--delete</c>: anything a batch can hold.</summary>
    IncludeList,

    /// <summary>Listed paths through <c>--files-from</c>, nothing deleted: names written or changed below the root.</summary>
    FileList,
}
