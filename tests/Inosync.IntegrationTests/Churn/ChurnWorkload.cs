using System.Globalization;
using System.Text;
using Inosync.Testing;
using Inosync.Testing.RawFiles;

namespace Inosync.IntegrationTests.Churn;

/// <summary>How the workload behaves beyond its seed.</summary>
internal sealed record ChurnOptions
{
    /// <summary>Also give directories names that are not valid UTF-8 (files and symlinks always get some).</summary>
    public bool NotUtf8Directories { get; init; } = true;

    /// <summary>Longest relative path the workload creates, in bytes (PATH_MAX is 4096 with the node's prefix).</summary>
    public int MaxPathBytes { get; init; } = 1200;

    /// <summary>Deepest directory level the workload creates.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>Pause between bursts (never inside one). Off for the fault tests that want one long burst.</summary>
    public bool PauseBetweenBursts { get; init; } = true;

    /// <summary>Only names SFTP and FTP servers take: valid UTF-8, no line break, no backslash (pure-ftpd refuses it).</summary>
    public bool FileTransferNames { get; init; }
}

/// <summary>
/// A seeded random file-system workload on a watched tree: bursts of operations applied back to back (no sleeps inside
/// a burst), with short random pauses between bursts. The same seed gives the same operations (the daemon never writes
/// the source, so the model stays exact); only the daemon's timing differs from run to run.
/// </summary>
/// <remarks>
/// Hard links: a change made through one name of a hard-linked file is reported by inotify for that name only, so the
/// node's separate copy of the other name would stay stale (a documented limit, see docs/reliability.md). The workload
/// therefore creates hard links but only changes files that have a single link; renaming and deleting either name is
/// fine.
/// </remarks>
internal sealed class ChurnWorkload : IDisposable
{
    /// <summary>At most this many files are held open by "writers that keep their descriptor".</summary>
    private const int MaxOpenWriters = 4;

    private static readonly int[] s_fileModes = [0b110_100_100, 0b110_000_000, 0b110_100_000, 0b110_110_100, 0b110_110_110, 0b111_101_101, 0b111_000_000, 0b100_100_100];
    private static readonly int[] s_directoryModes = [0b111_101_101, 0b111_000_000, 0b111_101_000, 0b111_111_101, 0b111_001_001];

    private readonly string _source;
    private readonly string _outside;
    private readonly ChurnOptions _options;
    private readonly Random _random;
    private readonly ChurnTree _tree = new();
    private readonly List<string> _log = [];
    private readonly List<(string Moved, string Home)> _awayFromHome = [];
    private readonly List<string> _outsideDirectories = [];
    private readonly List<Microsoft.Win32.SafeHandles.SafeFileHandle> _openWriters = [];
    private readonly (string Name, int Weight, Func<string?> Apply)[] _operations;
    private readonly int _totalWeight;
    private int _outsideCounter;

    public ChurnWorkload(string source, string outside, int seed, ChurnOptions? options = null)
    {
        _source = source;
        _outside = outside;
        _options = options ?? new ChurnOptions();
        _random = new Random(seed);
        Seed = seed;
        Directory.CreateDirectory(outside);
        _operations =
        [
            ("create file", 14, CreateFile),
            ("append", 7, Append),
            ("overwrite", 7, Overwrite),
            ("overwrite same size", 3, OverwriteSameSize),
            ("truncate", 3, Truncate),
            ("write, keep open", 2, WriteKeepingOpen),
            ("delete file", 7, DeleteFile),
            ("atomic save", 3, AtomicSave),
            ("mkdir", 4, MakeDirectory),
            ("mkdir -p x3 + files", 3, MakeDirectoriesAndWrite),
            ("rm -r", 2, RemoveTree),
            ("rename file", 5, RenameFile),
            ("move file", 4, MoveFile),
            ("rename directory", 3, RenameDirectory),
            ("move directory away", 2, MoveDirectoryAway),
            ("move directory back", 2, MoveDirectoryBack),
            ("rename directory over empty one", 1, RenameDirectoryOverEmpty),
            ("move directory out", 1, MoveDirectoryOut),
            ("move directory in", 1, MoveDirectoryIn),
            ("chmod", 4, ChangeMode),
            ("touch", 4, Touch),
            ("symlink", 3, CreateSymlink),
            ("delete symlink", 2, DeleteSymlink),
            ("hard link", 2, CreateHardLink),
            ("file becomes directory", 1, FileBecomesDirectory),
            ("directory becomes file", 1, DirectoryBecomesFile),
        ];
        _totalWeight = _operations.Sum(o => o.Weight);
    }

    public int Seed { get; }

    /// <summary>How many operations were applied so far.</summary>
    public int Applied { get; private set; }

    /// <summary>How many bytes of file content were written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Counts per operation kind.</summary>
    public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries in the tree now (root included).</summary>
    public int Entries => _tree.Count;

    /// <summary>The last <paramref name="count"/> operations, one per line, names made printable.</summary>
    public string LogTail(int count) => string.Join('\n', _log.Skip(Math.Max(0, _log.Count - count)));

    /// <summary>
    /// Applies <paramref name="operations"/> operations in bursts. <paramref name="hook"/> runs after each operation
    /// (its number, 1-based) inside the burst; the fault tests kill or stall the daemon from there.
    /// </summary>
    public async Task RunAsync(int operations, Action<int>? hook = null, CancellationToken cancellationToken = default)
    {
        int target = Applied + operations;
        while (Applied < target)
        {
            // Burst sizes spread over three orders of magnitude: single changes, typical saves, big checkouts.
            int burst = Math.Min(target - Applied, (int)Math.Exp(_random.NextDouble() * Math.Log(400)));
            for (int i = 0; i < burst; i++)
            {
                ApplyOne();
                hook?.Invoke(Applied);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (_options.PauseBetweenBursts)
            {
                // Pauses let batches finish in between, so every state of the workers meets new changes: idle, syncing,
                // retrying. They are never assertions.
                double roll = _random.NextDouble();
                int pause = roll < 0.4 ? 0 : roll < 0.8 ? _random.Next(1, 30) : roll < 0.97 ? _random.Next(30, 300) : _random.Next(300, 1200);
                await Task.Delay(pause, cancellationToken);
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    private void ApplyOne()
    {
        for (int attempt = 0; ; attempt++)
        {
            int roll = _random.Next(_totalWeight);
            var operation = _operations[0];
            foreach (var candidate in _operations)
            {
                if (roll < candidate.Weight)
                {
                    operation = candidate;
                    break;
                }

                roll -= candidate.Weight;
            }

            string? done;
            try
            {
                done = operation.Apply();
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"The workload itself failed (seed {Seed}, operation {Applied + 1} '{operation.Name}'): {ex.Message}\nLast operations:\n{LogTail(30)}", ex);
            }

            if (done is null)
            {
                if (attempt > 1000)
                {
                    throw new InvalidOperationException($"The workload found nothing to do (seed {Seed}).");
                }

                continue; // not applicable to the tree as it is: draw again (the draw is part of the seeded sequence)
            }

            Applied++;
            Counts[operation.Name] = Counts.GetValueOrDefault(operation.Name) + 1;
            _log.Add(string.Create(CultureInfo.InvariantCulture, $"#{Applied} {operation.Name}: {done}"));
            return;
        }
    }

    // ---- operations: each returns what it did, or null when it does not apply to the tree as it is ----

    private string? CreateFile()
    {
        string? path = NewPath(PickDirectory(), isDirectory: false);
        if (path is null)
        {
            return null;
        }

        byte[] content = Content();
        RawFileSystem.WriteFile(Full(path), content);
        _tree.Add(path, TreeEntryKind.File);
        return $"{Show(path)} ({content.Length} B)";
    }

    private string? Append()
    {
        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        byte[] content = Content(small: true);
        RawFileSystem.Append(Full(path), content);
        return $"{Show(path)} (+{content.Length} B)";
    }

    private string? Overwrite()
    {
        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        byte[] content = Content();
        RawFileSystem.WriteFile(Full(path), content);
        return $"{Show(path)} ({content.Length} B)";
    }

    /// <summary>Same size, new bytes, often within the same second: rsync's quick check (size + mtime) cannot see it.</summary>
    private string? OverwriteSameSize()
    {
        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        long length = RawFileSystem.Stat(Full(path))!.Value.Size;
        if (length > 1 << 20)
        {
            return null;
        }

        byte[] content = new byte[length];
        _random.NextBytes(content);
        BytesWritten += content.Length;
        RawFileSystem.WriteFile(Full(path), content);
        return $"{Show(path)} ({length} B)";
    }

    private string? Truncate()
    {
        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        long length = RawFileSystem.Stat(Full(path))!.Value.Size;
        long to = _random.Next(3) == 0 ? 0 : _random.NextInt64(length + 1);
        bool byPath = _random.Next(2) == 0;
        if (byPath)
        {
            RawFileSystem.TruncatePath(Full(path), to); // no descriptor closed: the kernel says IN_MODIFY only
        }
        else
        {
            RawFileSystem.Truncate(Full(path), to);
        }

        return $"{Show(path)} ({length} → {to} B{(byPath ? ", truncate(2)" : "")})";
    }

    /// <summary>
    /// A writer that keeps its descriptor (a log, a database): it writes, and the close comes much later or not before
    /// the final comparison at all, so no IN_CLOSE_WRITE tells that the content changed.
    /// </summary>
    private string? WriteKeepingOpen()
    {
        if (_openWriters.Count > 0 && _random.Next(3) == 0)
        {
            int index = _random.Next(_openWriters.Count);
            _openWriters[index].Dispose();
            _openWriters.RemoveAt(index);
            return "closed one";
        }

        if (_openWriters.Count > 0 && (_openWriters.Count >= MaxOpenWriters || _random.Next(2) == 0))
        {
            // Through a descriptor opened earlier: the file may have been renamed since (the kernel names it by its
            // current name), or deleted or hard-linked (then writing would change no name or a name nobody reports).
            var writer = _openWriters[_random.Next(_openWriters.Count)];
            if (RawFileSystem.LinkCount(writer) != 1)
            {
                return null;
            }

            byte[] more = Content(small: true);
            RandomAccess.Write(writer, more, RandomAccess.GetLength(writer));
            return $"an open file (+{more.Length} B)";
        }

        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        var handle = RawFileSystem.OpenAppend(Full(path));
        byte[] content = Content(small: true);
        RandomAccess.Write(handle, content, RandomAccess.GetLength(handle));
        _openWriters.Add(handle);
        return $"{Show(path)} (+{content.Length} B, left open)";
    }

    private string? DeleteFile()
    {
        if (_tree.Files.Count == 0 || (_tree.Count < GrowTo && _random.Next(2) == 0))
        {
            return null;
        }

        string path = _tree.Files.Pick(_random);
        RawFileSystem.DeleteFile(Full(path));
        _tree.Remove(path);
        return Show(path);
    }

    /// <summary>How editors save: write a temporary file next to the target, then rename it over the target.</summary>
    private string? AtomicSave()
    {
        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        string temporary = ChurnTree.Join(ChurnTree.ParentOf(path), "." + ChurnTree.NameOf(path)[..Math.Min(40, ChurnTree.NameOf(path).Length)] + ".swp");
        if (_tree.Exists(temporary) || RawName.ByteCount(ChurnTree.NameOf(temporary)) > 255)
        {
            return null;
        }

        byte[] content = Content();
        RawFileSystem.WriteFile(Full(temporary), content);
        RawFileSystem.Rename(Full(temporary), Full(path));
        return $"{Show(path)} ({content.Length} B via {Show(ChurnTree.NameOf(temporary))})";
    }

    private string? MakeDirectory()
    {
        string parent = PickDirectory();
        if (ChurnTree.Depth(parent) >= _options.MaxDepth || NewPath(parent, isDirectory: true) is not { } path)
        {
            return null;
        }

        RawFileSystem.CreateDirectory(Full(path));
        _tree.Add(path, TreeEntryKind.Directory);
        return Show(path);
    }

    /// <summary>mkdir -p a/b/c, then files in every level at once: the files race the watches on the new directories.</summary>
    private string? MakeDirectoriesAndWrite()
    {
        string parent = PickDirectory();
        if (ChurnTree.Depth(parent) + 3 > _options.MaxDepth)
        {
            return null;
        }

        var levels = new List<string>();
        string current = parent;
        for (int i = 0; i < 3; i++)
        {
            // Plain names below the first level keep the three levels within the path budget.
            string? next = i == 0 ? NewPath(current, isDirectory: true) : ChurnTree.Join(current, ChurnNames.Plain[_random.Next(ChurnNames.Plain.Count)]);
            if (next is null || RawName.ByteCount(next) > _options.MaxPathBytes - 64)
            {
                return null;
            }

            levels.Add(next);
            current = next;
        }

        foreach (string level in levels)
        {
            RawFileSystem.CreateDirectory(Full(level));
            _tree.Add(level, TreeEntryKind.Directory);
        }

        int files = 0;
        foreach (string level in Enumerable.Reverse(levels))
        {
            for (int i = _random.Next(1, 3); i > 0; i--)
            {
                if (NewPath(level, isDirectory: false) is { } file)
                {
                    RawFileSystem.WriteFile(Full(file), Content(small: true));
                    _tree.Add(file, TreeEntryKind.File);
                    files++;
                }
            }
        }

        return $"{Show(levels[^1])} and {files} files";
    }

    private string? RemoveTree()
    {
        if (PickDirectory(includeRoot: false) is not { } path || !Removable(path))
        {
            return null;
        }

        int entries = _tree.Subtree(path).Count;
        RawFileSystem.DeleteTree(Full(path));
        _tree.RemoveSubtree(path);
        _awayFromHome.RemoveAll(m => IsAtOrBelow(m.Moved, path));
        return $"{Show(path)} ({entries} entries)";
    }

    private string? RenameFile()
    {
        if (PickFileOrSymlink() is not { } path)
        {
            return null;
        }

        string directory = ChurnTree.ParentOf(path);

        // Now and then onto an existing file of the same directory: rename(2) replaces it in one step.
        string? to = _random.Next(4) == 0 ? ExistingFileIn(directory, except: path) : null;
        to ??= NewPath(directory, isDirectory: false);
        if (to is null)
        {
            return null;
        }

        bool replaced = _tree.Exists(to);
        RawFileSystem.Rename(Full(path), Full(to));
        _tree.Remove(to);
        _tree.MoveSubtree(path, to);
        return $"{Show(path)} → {Show(ChurnTree.NameOf(to))}{(replaced ? " (replacing it)" : "")}";
    }

    private string? MoveFile()
    {
        if (PickFileOrSymlink() is not { } path)
        {
            return null;
        }

        string directory = PickDirectory();
        if (directory == ChurnTree.ParentOf(path))
        {
            return null;
        }

        string? to = _random.Next(2) == 0 && Fits(directory, ChurnTree.NameOf(path)) && !_tree.Exists(ChurnTree.Join(directory, ChurnTree.NameOf(path)))
            ? ChurnTree.Join(directory, ChurnTree.NameOf(path))
            : NewPath(directory, isDirectory: false);
        if (to is null)
        {
            return null;
        }

        RawFileSystem.Rename(Full(path), Full(to));
        _tree.MoveSubtree(path, to);
        return $"{Show(path)} → {Show(to)}";
    }

    private string? RenameDirectory()
    {
        if (PickDirectory(includeRoot: false) is not { } path || NewDirectoryPathFor(path, ChurnTree.ParentOf(path)) is not { } to)
        {
            return null;
        }

        MoveDirectory(path, to);
        return $"{Show(path)} → {Show(ChurnTree.NameOf(to))}";
    }

    /// <summary>Into another subtree; remembered so that <see cref="MoveDirectoryBack"/> can bring it home later.</summary>
    private string? MoveDirectoryAway()
    {
        if (PickDirectory(includeRoot: false) is not { } path)
        {
            return null;
        }

        string destination = PickDirectory();
        if (destination == ChurnTree.ParentOf(path) || IsAtOrBelow(destination, path))
        {
            return null;
        }

        string to = ChurnTree.Join(destination, ChurnTree.NameOf(path));
        if (_tree.Exists(to) || !SubtreeFits(path, to))
        {
            return null;
        }

        MoveDirectory(path, to);
        _awayFromHome.Add((to, path));
        return $"{Show(path)} → {Show(to)}";
    }

    private string? MoveDirectoryBack()
    {
        if (_awayFromHome.Count == 0)
        {
            return null;
        }

        int index = _random.Next(_awayFromHome.Count);
        var (moved, home) = _awayFromHome[index];
        _awayFromHome.RemoveAt(index);
        if (_tree.KindOf(moved) != TreeEntryKind.Directory || _tree.Exists(home)
            || _tree.KindOf(ChurnTree.ParentOf(home)) != TreeEntryKind.Directory || IsAtOrBelow(home, moved) || !SubtreeFits(moved, home))
        {
            return null;
        }

        MoveDirectory(moved, home);
        return $"{Show(moved)} → {Show(home)}";
    }

    /// <summary>rename(2) onto an empty directory replaces it.</summary>
    private string? RenameDirectoryOverEmpty()
    {
        if (PickDirectory(includeRoot: false) is not { } path)
        {
            return null;
        }

        for (int attempt = 0; attempt < 5; attempt++)
        {
            string victim = _tree.Directories.Pick(_random);
            if (victim.Length > 0 && victim != path && !IsAtOrBelow(victim, path) && !IsAtOrBelow(path, victim)
                && _tree.IsEmptyDirectory(victim) && SubtreeFits(path, victim))
            {
                _tree.Remove(victim);
                _awayFromHome.RemoveAll(m => m.Moved == victim);
                MoveDirectory(path, victim);
                return $"{Show(path)} → {Show(victim)} (replacing the empty directory)";
            }
        }

        return null;
    }

    private string? MoveDirectoryOut()
    {
        if (PickDirectory(includeRoot: false) is not { } path || !Removable(path))
        {
            return null;
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"out{_outsideCounter++}");
        RawFileSystem.Rename(Full(path), Path.Combine(_outside, name));
        _tree.RemoveSubtree(path);
        _awayFromHome.RemoveAll(m => IsAtOrBelow(m.Moved, path));
        _outsideDirectories.Add(name);
        return $"{Show(path)} → outside/{name}";
    }

    /// <summary>A directory that was moved out earlier, or a new one filled outside the tree, moves in.</summary>
    private string? MoveDirectoryIn()
    {
        string name;
        if (_outsideDirectories.Count > 0 && _random.Next(2) == 0)
        {
            int index = _random.Next(_outsideDirectories.Count);
            name = _outsideDirectories[index];
            _outsideDirectories.RemoveAt(index);
        }
        else
        {
            name = string.Create(CultureInfo.InvariantCulture, $"new{_outsideCounter++}");
            string full = Path.Combine(_outside, name);
            RawFileSystem.CreateDirectory(full);
            RawFileSystem.CreateDirectory(full + "/sub");
            for (int i = _random.Next(1, 6); i > 0; i--)
            {
                RawFileSystem.WriteFile($"{full}/{(i % 2 == 0 ? "sub/" : "")}f{i}", Content(small: true));
            }
        }

        string destination = PickDirectory();
        string? to = NewPath(destination, isDirectory: true);
        if (to is null || ChurnTree.Depth(to) + 2 > _options.MaxDepth)
        {
            _outsideDirectories.Add(name);
            return null;
        }

        RawFileSystem.Rename(Path.Combine(_outside, name), Full(to));
        _tree.AddFromDisk(_source, to);
        if (!SubtreeFits(to, to))
        {
            // Deep content from outside: take it out again rather than exceed the path budget.
            RawFileSystem.Rename(Full(to), Path.Combine(_outside, name));
            _tree.RemoveSubtree(to);
            _outsideDirectories.Add(name);
            return null;
        }

        return $"outside/{name} → {Show(to)} ({_tree.Subtree(to).Count} entries)";
    }

    private string? ChangeMode()
    {
        if (_random.Next(3) == 0)
        {
            string directory = _random.Next(20) == 0 ? "" : PickDirectory();
            int directoryMode = s_directoryModes[_random.Next(s_directoryModes.Length)];
            RawFileSystem.SetMode(Full(directory), directoryMode);
            return $"{(directory.Length == 0 ? "(root)" : Show(directory))} {Convert.ToString(directoryMode, 8)}";
        }

        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        int mode = s_fileModes[_random.Next(s_fileModes.Length)];
        RawFileSystem.SetMode(Full(path), mode);
        return $"{Show(path)} {Convert.ToString(mode, 8)}";
    }

    /// <summary>touch -m: now, or a random time in the past (only the mtime changes, not the size or content).</summary>
    private string? Touch()
    {
        if (PickChangeableFile() is not { } path)
        {
            return null;
        }

        switch (_random.Next(3))
        {
            case 0:
                RawFileSystem.TouchNow(Full(path));
                return $"{Show(path)} (mtime now)";
            case 1:
                long seconds = 1_000_000_000 + _random.NextInt64(700_000_000);
                RawFileSystem.SetModificationTime(Full(path), seconds, _random.Next(1_000_000_000));
                return $"{Show(path)} (mtime {DateTimeOffset.FromUnixTimeSeconds(seconds):yyyy-MM-dd})";
            default:
                long both = 1_000_000_000 + _random.NextInt64(700_000_000);
                RawFileSystem.SetTimes(Full(path), both, _random.Next(1_000_000_000));
                return $"{Show(path)} (atime and mtime {DateTimeOffset.FromUnixTimeSeconds(both):yyyy-MM-dd})";
        }
    }

    private string? CreateSymlink()
    {
        string directory = PickDirectory();
        if (NewPath(directory, isDirectory: false) is not { } path)
        {
            return null;
        }

        // Dangling or not, relative or absolute, to a file, a directory or another symlink: symlinks are copied, never followed.
        string target = _random.Next(6) switch
        {
            0 => "does/not/exist",
            1 => "/nonexistent/" + PickName(),
            2 => _source + "/" + PickDirectory(),
            3 => "../" + PickName(),
            _ => PickName(),
        };
        if (RawName.ByteCount(target) > 1000)
        {
            target = target[..200];
        }

        RawFileSystem.CreateSymlink(Full(path), target);
        _tree.Add(path, TreeEntryKind.Symlink);
        return $"{Show(path)} -> {Show(target)}";
    }

    private string? DeleteSymlink()
    {
        if (_tree.Symlinks.Count == 0)
        {
            return null;
        }

        string path = _tree.Symlinks.Pick(_random);
        RawFileSystem.DeleteFile(Full(path));
        _tree.Remove(path);
        return Show(path);
    }

    private string? CreateHardLink()
    {
        if (_tree.Files.Count == 0)
        {
            return null;
        }

        string existing = _tree.Files.Pick(_random);
        if (NewPath(PickDirectory(), isDirectory: false) is not { } path)
        {
            return null;
        }

        RawFileSystem.CreateHardLink(Full(path), Full(existing));
        _tree.Add(path, TreeEntryKind.File);
        return $"{Show(path)} = {Show(existing)}";
    }

    /// <summary>rm f; mkdir f; write f/x — the same path changes type within one burst.</summary>
    private string? FileBecomesDirectory()
    {
        if (_tree.Files.Count == 0)
        {
            return null;
        }

        string path = _tree.Files.Pick(_random);
        if (ChurnTree.Depth(path) >= _options.MaxDepth || !Fits(path, "x"))
        {
            return null;
        }

        RawFileSystem.DeleteFile(Full(path));
        _tree.Remove(path);
        RawFileSystem.CreateDirectory(Full(path));
        _tree.Add(path, TreeEntryKind.Directory);
        RawFileSystem.WriteFile(Full(path + "/x"), Content(small: true));
        _tree.Add(path + "/x", TreeEntryKind.File);
        return Show(path);
    }

    /// <summary>rm -r d; write d — a directory with content becomes a file of the same name.</summary>
    private string? DirectoryBecomesFile()
    {
        if (PickDirectory(includeRoot: false) is not { } path || !Removable(path))
        {
            return null;
        }

        int entries = _tree.Subtree(path).Count;
        RawFileSystem.DeleteTree(Full(path));
        _tree.RemoveSubtree(path);
        _awayFromHome.RemoveAll(m => IsAtOrBelow(m.Moved, path));
        RawFileSystem.WriteFile(Full(path), Content(small: true));
        _tree.Add(path, TreeEntryKind.File);
        return $"{Show(path)} ({entries} entries)";
    }

    // ---- helpers ----

    /// <summary>Removing whole subtrees keeps the tree small; below this size removals are drawn less often.</summary>
    private const int GrowTo = 600;

    /// <summary>Whether a subtree may go: small ones always, big ones rarely, so the tree grows to a few hundred entries.</summary>
    private bool Removable(string directory)
    {
        int size = _tree.Subtree(directory).Count;
        return size <= 8 || (size <= _tree.Count / 4 && (_tree.Count > GrowTo || _random.Next(4) == 0));
    }

    private void MoveDirectory(string from, string to)
    {
        RawFileSystem.Rename(Full(from), Full(to));
        _tree.MoveSubtree(from, to);
        for (int i = 0; i < _awayFromHome.Count; i++)
        {
            var (moved, home) = _awayFromHome[i];
            if (IsAtOrBelow(moved, from))
            {
                _awayFromHome[i] = (to + moved[from.Length..], home);
            }
        }
    }

    private string? NewDirectoryPathFor(string directory, string parent)
    {
        string? to = NewPath(parent, isDirectory: true);
        return to is not null && SubtreeFits(directory, to) ? to : null;
    }

    /// <summary>A free path in <paramref name="directory"/> with a random name, within the path budget.</summary>
    private string? NewPath(string directory, bool isDirectory)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            string name = PickName(isDirectory);
            if (Fits(directory, name) && !_tree.Exists(ChurnTree.Join(directory, name)))
            {
                return ChurnTree.Join(directory, name);
            }
        }

        return null;
    }

    private string PickName(bool isDirectory = false)
    {
        if (_options.FileTransferNames)
        {
            string name;
            do
            {
                name = PickAnyName(isDirectory);
            }
            while (name.AsSpan().IndexOfAny('\n', '\\') >= 0 || name.Any(c => c is >= '\uDC80' and <= '\uDCFF'));

            return name;
        }

        return PickAnyName(isDirectory);
    }

    private string PickAnyName(bool isDirectory)
    {
        int roll = _random.Next(100);
        if (roll < 65)
        {
            return ChurnNames.Plain[_random.Next(ChurnNames.Plain.Count)];
        }

        if (roll < 94 || (isDirectory && !_options.NotUtf8Directories))
        {
            return ChurnNames.Awkward[_random.Next(ChurnNames.Awkward.Count)];
        }

        return ChurnNames.NotUtf8[_random.Next(ChurnNames.NotUtf8.Count)];
    }

    private bool Fits(string directory, string name) =>
        RawName.ByteCount(ChurnTree.Join(directory, name)) <= _options.MaxPathBytes && ChurnTree.Depth(ChurnTree.Join(directory, name)) <= _options.MaxDepth;

    /// <summary>Whether the subtree at <paramref name="from"/> would stay within the path budget at <paramref name="to"/>.</summary>
    private bool SubtreeFits(string from, string to)
    {
        int extraBytes = RawName.ByteCount(to) - RawName.ByteCount(from);
        int extraDepth = ChurnTree.Depth(to) - ChurnTree.Depth(from);
        return _tree.Subtree(from).All(p =>
            RawName.ByteCount(p) + extraBytes <= _options.MaxPathBytes && ChurnTree.Depth(p) + extraDepth <= _options.MaxDepth);
    }

    private string PickDirectory() => _tree.Directories.Pick(_random);

    private string? PickDirectory(bool includeRoot)
    {
        if (includeRoot)
        {
            return PickDirectory();
        }

        if (_tree.Directories.Count < 2)
        {
            return null;
        }

        string path;
        do
        {
            path = _tree.Directories.Pick(_random);
        }
        while (path.Length == 0);
        return path;
    }

    private string? PickFileOrSymlink()
    {
        int total = _tree.Files.Count + _tree.Symlinks.Count;
        if (total == 0)
        {
            return null;
        }

        int index = _random.Next(total);
        return index < _tree.Files.Count ? _tree.Files.Items[index] : _tree.Symlinks.Items[index - _tree.Files.Count];
    }

    /// <summary>A file with one link only (see the remarks on hard links).</summary>
    private string? PickChangeableFile()
    {
        for (int attempt = 0; attempt < 4 && _tree.Files.Count > 0; attempt++)
        {
            string path = _tree.Files.Pick(_random);
            if (RawFileSystem.Stat(Full(path)) is { Links: 1 })
            {
                return path;
            }
        }

        return null;
    }

    private string? ExistingFileIn(string directory, string except)
    {
        for (int attempt = 0; attempt < 6; attempt++)
        {
            string candidate = ChurnTree.Join(directory, PickName());
            if (candidate != except && _tree.KindOf(candidate) is TreeEntryKind.File or TreeEntryKind.Symlink)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Random bytes; sizes spread from empty to a few hundred KiB (mostly small, as in real trees).</summary>
    private byte[] Content(bool small = false)
    {
        int roll = _random.Next(100);
        int length = small || roll < 55 ? _random.Next(0, 300)
            : roll < 85 ? _random.Next(300, 4096)
            : roll < 97 ? _random.Next(4096, 65536)
            : _random.Next(65536, 400_000);
        byte[] content = new byte[length];
        _random.NextBytes(content);
        BytesWritten += length;
        return content;
    }

    private string Full(string path) => path.Length == 0 ? _source : _source + "/" + path;

    private static bool IsAtOrBelow(string path, string ancestor) =>
        ancestor.Length == 0 || path == ancestor || path.StartsWith(ancestor + "/", StringComparison.Ordinal);

    private static string Show(string path) => RawName.Show(path);

    /// <summary>Closes the descriptors the "writers" kept open (only after the final comparison).</summary>
    public void Dispose()
    {
        foreach (var writer in _openWriters)
        {
            writer.Dispose();
        }

        _openWriters.Clear();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}: {Applied} operations, {Entries} entries, {BytesWritten / 1024} KiB written;");
        foreach (var (name, count) in Counts.OrderByDescending(c => c.Value))
        {
            text.Append(CultureInfo.InvariantCulture, $" {name} {count},");
        }

        return text.ToString().TrimEnd(',');
    }
}
