using Inosync.Benchmarks.Tools;

namespace Inosync.Benchmarks.Workloads;

/// <summary>One workload: prepares its trees once, then measures the rsync floor and each tool, run by run.</summary>
internal abstract class Workload
{
    protected Workload(BenchContext context)
    {
        Context = context;
        Root = Path.Combine(context.Options.WorkDirectory, GetType().Name.Replace("Workload", "", StringComparison.Ordinal).ToLowerInvariant());
        Source = Path.Combine(Root, "src");
        Target = Path.Combine(Root, "dst");
    }

    public abstract string Name { get; }

    public abstract string Title { get; }

    /// <summary>How it is measured, for the report (Markdown).</summary>
    public abstract string Method { get; }

    public abstract IReadOnlyList<Metric> Metrics { get; }

    protected BenchContext Context { get; }

    protected BenchmarkOptions Options => Context.Options;

    protected string Root { get; }

    /// <summary>The watched directory.</summary>
    protected string Source { get; }

    /// <summary>The local target.</summary>
    protected string Target { get; }

    /// <summary>Builds the trees (once per benchmark).</summary>
    public abstract void Prepare();

    /// <summary>Measures what plain rsync needs for the same work (false: this workload has no floor).</summary>
    public virtual bool RunFloor(RunRecord record) => false;

    /// <summary>Measures one run of one tool into <paramref name="record"/>.</summary>
    public abstract void RunTool(SyncTool tool, RunRecord record);

    /// <summary>Removes the trees.</summary>
    public virtual void Cleanup() => BenchContext.Empty(Root);

    protected static void CheckEqual(RunRecord record, string source, string target) =>
        record.Differences.AddRange(Measuring.TreeSnapshot.Differences(source, target));
}
