using System.Runtime.InteropServices;

namespace Inosync.Watching.Inotify;

/// <summary>One event in the kernel's buffer; <see cref="Name"/> points into that buffer (empty for the directory itself).</summary>
internal readonly ref struct InotifyEvent(int wd, Interop.NotifyEvents mask, uint cookie, ReadOnlySpan<byte> name)
{
    public int Wd { get; } = wd;

    public Interop.NotifyEvents Mask { get; } = mask;

    public uint Cookie { get; } = cookie;

    public ReadOnlySpan<byte> Name { get; } = name;
}

/// <summary>Walks the events of one read(2) of an inotify descriptor without allocating: <c>foreach (var e in new InotifyEventReader(bytes))</c>.</summary>
internal ref struct InotifyEventReader(ReadOnlySpan<byte> buffer)
{
    // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
    private const int HeaderSize = 16;

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;
    private int _wd;
    private Interop.NotifyEvents _mask;
    private uint _cookie;
    private ReadOnlySpan<byte> _name;

    public readonly InotifyEvent Current => new(_wd, _mask, _cookie, _name);

    public readonly InotifyEventReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_position + HeaderSize > _buffer.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> header = _buffer.Slice(_position, HeaderSize);
        _wd = MemoryMarshal.Read<int>(header);
        _mask = (Interop.NotifyEvents)MemoryMarshal.Read<uint>(header[4..]);
        _cookie = MemoryMarshal.Read<uint>(header[8..]);
        int nameLength = (int)MemoryMarshal.Read<uint>(header[12..]);

        // The name is NUL-padded to an alignment boundary.
        ReadOnlySpan<byte> name = _buffer.Slice(_position + HeaderSize, nameLength);
        int end = name.IndexOf((byte)0);
        _name = end >= 0 ? name[..end] : name;
        _position += HeaderSize + nameLength;
        return true;
    }
}
