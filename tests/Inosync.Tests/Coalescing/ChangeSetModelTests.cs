using Inosync.Coalescing;
using Inosync.Filtering;
using Inosync.Tests.Support;

namespace Inosync.Tests.Coalescing;

/// <summary>
/// Random shell-like operations on a small tree, batches taken at random moments, applied late (the source has
/// moved on meanwhile), some failing half-way and put back, events lost now and then: once the source is quiet
/// and every batch has run, the node must equal the source.
/// </summary>
public sealed class ChangeSetModelTests
{
    private const int Seeds = 200;
    private const int Steps = 120;

    [Theory]
    [InlineData(1000, false, true)]
    [InlineData(1000, false, false)]
    [InlineData(2, false, true)]
    [InlineData(1000, true, true)]
    [InlineData(2, true, false)]
    public void Node_ends_equal_to_the_source_after_random_operations(int maxNames, bool withExcludes, bool renameInPlace)
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            Run(seed, maxNames, withExcludes, renameInPlace);
        }
    }

    private static void Run(int seed, int maxNames, bool withExcludes, bool renameInPlace)
    {
        var random = new Random(seed);
        PathFilter? filter = withExcludes ? Filters.Excluding(["*.tmp", "skip/"]) : null;
        string[] names = withExcludes ? ["a", "b", "c", "skip", "x.tmp"] : ["a", "b", "c", "d"];
        var sync = new SyncHarness(maxNames, filter);
        var log = new List<string>();
        SyncBatch? inFlight = null;
        var inFlightFor = 0;

        for (var step = 0; step < Steps; step++)
        {
            sync.Do(tree => RandomOperation(random, tree, names, log));

            if (inFlight is null)
            {
                if (random.Next(4) == 0)
                {
                    inFlight = sync.Changes.Take();
                    inFlightFor = random.Next(3);
                    log.Add("take");
                }
            }
            else if (inFlightFor-- == 0)
            {
                Finish(inFlight);
                inFlight = null;
            }
        }

        if (inFlight is not null)
        {
            sync.Apply(inFlight, renameInPlace);
        }

        // The source is quiet now: whatever is pending runs, and the node must end equal.
        while (!sync.Changes.IsEmpty)
        {
            sync.Sync(renameInPlace);
        }

        sync.NodeShouldEqualSource("seed {0} ({1} names, excludes {2}, rename {3}): {4}", seed, maxNames, withExcludes, renameInPlace, string.Join("; ", log));

        void Finish(SyncBatch batch)
        {
            if (random.Next(5) != 0)
            {
                sync.Apply(batch, renameInPlace);
                log.Add("apply");
                return;
            }

            // rsync failed part-way: some jobs (and maybe the moves) were applied, the batch goes back.
            var jobs = batch.Jobs.Where(_ => random.Next(2) == 0).ToList();
            var moves = random.Next(2) == 0 ? batch.Moves : [];
            sync.Apply(batch with { Jobs = jobs, Moves = moves }, renameInPlace);
            sync.Changes.Add(batch);
            log.Add("fail");
        }
    }

    private static void RandomOperation(Random random, ModelTree tree, string[] names, List<string> log)
    {
        var directories = tree.Entries.Where(e => e.Value.IsDirectory).Select(e => e.Key).Prepend("").ToList();
        var entries = tree.Entries.Keys.ToList();
        string Pick(IReadOnlyList<string> from) => from[random.Next(from.Count)];
        string NewPath() => ModelTree.Join(Pick(directories), Pick(names));
        static int Depth(string path) => path.Count(c => c == '/') + 1;

        var roll = random.Next(100);
        var path = NewPath();
        switch (roll)
        {
            case < 28 when !tree.IsDirectory(path) && Depth(path) <= 5:
                tree.Write(path);
                log.Add("write " + path);
                break;
            case >= 28 and < 42 when !tree.Exists(path) && Depth(path) <= 4:
                tree.Mkdir(path);
                log.Add("mkdir " + path);
                break;
            case >= 42 and < 47:
                var deep = path + "/" + Pick(names) + "/" + Pick(names);
                var file = deep + "/" + Pick(names);
                var parts = deep.Split('/');
                if (Depth(file) <= 6 && !tree.IsDirectory(file)
                    && Enumerable.Range(1, parts.Length).All(n => !tree.IsFile(string.Join('/', parts.Take(n)))))
                {
                    tree.MkdirP(deep);
                    tree.Write(file);
                    log.Add($"mkdir -p {deep}; write {file}");
                }

                break;
            case >= 47 and < 58 when entries.Count > 0:
                var doomed = Pick(entries);
                tree.RemoveTree(doomed);
                log.Add("rm -rf " + doomed);
                break;
            case >= 58 and < 78 when entries.Count > 0:
                var from = Pick(entries);
                if (tree.CanRename(from, path) && Depth(path) + tree.Subtree(from).Max(Depth) - Depth(from) <= 6)
                {
                    tree.Rename(from, path);
                    log.Add($"mv {from} {path}");
                }

                break;
            case >= 78 and < 86:
                var touched = random.Next(5) == 0 || entries.Count == 0 ? "" : Pick(entries);
                tree.Chmod(touched);
                log.Add("chmod " + touched);
                break;
            case >= 86 and < 91 when entries.Count > 0:
                var leaving = Pick(entries);
                tree.MoveOut(leaving);
                log.Add("mv out " + leaving);
                break;
            case >= 91 and < 97 when !tree.Exists(path) && Depth(path) <= 4:
                tree.MoveIn(path, Pick(names), Pick(names) + "2");
                log.Add("mv in " + path);
                break;
            case >= 97 when entries.Count > 0:
                var lost = Pick(entries);
                tree.LoseEvents(t => t.RemoveTree(lost));
                log.Add("overflow losing rm -rf " + lost);
                break;
            default:
                break;
        }
    }
}
