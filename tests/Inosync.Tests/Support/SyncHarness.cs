using Inosync.Coalescing;
using Inosync.Filtering;

namespace Inosync.Tests.Support;

/// <summary>
/// A source tree, one node, and the <see cref="ChangeSet"/> between them: operations on the source feed their
/// events to the change set; <see cref="Sync"/> takes a batch and applies it to the node with <see cref="ModelRunner"/>.
/// </summary>
internal sealed class SyncHarness
{
    private readonly Func<string, bool, bool>? _isExcluded;

    public SyncHarness(int maxNamesPerDirectory = 1000, PathFilter? filter = null)
    {
        _isExcluded = filter is null ? null : filter.IsExcluded;
        Changes = new ChangeSet(new CoalescerOptions(maxNamesPerDirectory, filter));
    }

    public ModelTree Source { get; } = new();

    public ModelTree Node { get; } = new();

    public ChangeSet Changes { get; }

    /// <summary>Builds the starting tree; the node starts equal to it (the initial sync), no events.</summary>
    public SyncHarness Given(Action<ModelTree> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        build(Source);
        Source.DrainEvents();
        ModelRunner.Apply(new SyncBatch(true, [], [], 1), Source, Node, _isExcluded);
        return this;
    }

    /// <summary>Changes the source and hands the watcher's events to the change set.</summary>
    public SyncHarness Do(Action<ModelTree> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        operations(Source);
        foreach (var change in Source.DrainEvents())
        {
            Changes.Add(change);
        }

        return this;
    }

    /// <summary>Takes one batch and applies it to the node.</summary>
    public SyncBatch Sync(bool renameInPlace = true)
    {
        var batch = Changes.Take();
        Apply(batch, renameInPlace);
        return batch;
    }

    public void Apply(SyncBatch batch, bool renameInPlace = true) => ModelRunner.Apply(batch, Source, Node, _isExcluded, renameInPlace);

    public void NodeShouldEqualSource(string because = "", params object[] becauseArgs)
    {
        Node.Entries.Should().BeEquivalentTo(ModelRunner.Expected(Source, _isExcluded), because, becauseArgs);
        Node.RootMode.Should().Be(Source.RootMode, because, becauseArgs);
    }

    /// <summary>A batch as short lines: "dir: name(M) name(R) name(MR)" or "dir/**"; the root directory is "/".</summary>
    public static string[] Describe(SyncBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return
        [
            .. batch.Jobs.Select(job => job.Recursive
                ? job.Directory + "/**"
                : (job.Directory.Length == 0 ? "/" : job.Directory) + ":" + string.Concat(
                    job.Names.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $" {n.Key}({Flags(n.Value)})"))),
        ];

        static string Flags(NameChange change) =>
            (change.HasFlag(NameChange.Modified) ? "M" : "") + (change.HasFlag(NameChange.Removed) ? "R" : "");
    }
}
