using Inosync.Testing;
using Inosync.Testing.RawFiles;

namespace Inosync.IntegrationTests.Churn;

/// <summary>
/// Makes a local node's directory unwritable for a while — for root too, which ignores permission bits. Preferred:
/// the immutable attribute (chattr +i) on every directory and file of the node: each create, write, rename, delete
/// and attribute change fails with EPERM, as on a read-only node, and rsync exits 23. Where the filesystem or the
/// container does not allow it (no CAP_LINUX_IMMUTABLE, a filesystem without the attribute), the node directory is
/// moved aside and a plain file takes its place, so rsync cannot write into it either.
/// </summary>
internal sealed class ReadOnlyNode : IAsyncDisposable
{
    private readonly string _directory;
    private bool _restored;

    private ReadOnlyNode(string directory, bool immutable)
    {
        _directory = directory;
        Immutable = immutable;
    }

    /// <summary>True when the immutable attribute is used; false for the file-in-its-place fallback.</summary>
    public bool Immutable { get; }

    public string Mechanism => Immutable ? "immutable attribute (chattr +i) on the whole node" : "node directory replaced by a file";

    public static Task<ReadOnlyNode> MakeAsync(string directory)
    {
        if (ImmutableWorks(Path.GetDirectoryName(directory)!))
        {
            SetImmutableTree(directory, immutable: true);
            return Task.FromResult(new ReadOnlyNode(directory, immutable: true));
        }

        Directory.Move(directory, directory + ".away");
        File.WriteAllText(directory, "the node is unavailable");
        return Task.FromResult(new ReadOnlyNode(directory, immutable: false));
    }

    /// <summary>Makes the node writable again (once).</summary>
    public Task RestoreAsync()
    {
        if (!_restored)
        {
            _restored = true;
            if (Immutable)
            {
                SetImmutableTree(_directory, immutable: false);
            }
            else
            {
                File.Delete(_directory);
                Directory.Move(_directory + ".away", _directory);
            }
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await RestoreAsync();

    /// <summary>Tries the attribute on a scratch directory beside the node: the one reliable test of support.</summary>
    private static bool ImmutableWorks(string parent)
    {
        string probe = Path.Combine(parent, "immutable-probe");
        Directory.CreateDirectory(probe);
        try
        {
            RawFileSystem.SetImmutable(probe, immutable: true);
        }
        catch (IOException)
        {
            Directory.Delete(probe);
            return false;
        }

        bool refused = false;
        try
        {
            File.WriteAllText(Path.Combine(probe, "x"), "x");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            refused = true;
        }

        RawFileSystem.SetImmutable(probe, immutable: false);
        Directory.Delete(probe, recursive: true);
        return refused;
    }

    /// <summary>Every directory and regular file below <paramref name="root"/> (symlinks cannot carry the attribute).</summary>
    private static void SetImmutableTree(string root, bool immutable)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            string path = pending.Pop();
            if (RawFileSystem.Stat(path) is not { } stat || stat.Kind is not (TreeEntryKind.Directory or TreeEntryKind.File))
            {
                continue;
            }

            try
            {
                RawFileSystem.SetImmutable(path, immutable);
            }
            catch (IOException) when (RawFileSystem.Stat(path) is null)
            {
                continue; // rsync removed it meanwhile
            }

            if (stat.Kind == TreeEntryKind.Directory)
            {
                foreach (string name in RawFileSystem.List(path))
                {
                    pending.Push(path + "/" + name);
                }
            }
        }
    }
}
