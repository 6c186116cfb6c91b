using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Inosync;

/// <summary>Owns one POSIX file descriptor (inotify instance, eventfd) and closes it exactly once.</summary>
[SupportedOSPlatform("linux")]
internal sealed class SafeDescriptorHandle : SafeHandle
{
    // The interop marshaller creates the handle and then sets the returned descriptor into it.
    public SafeDescriptorHandle() : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    // 0 is a valid descriptor; only negative values mean "none".
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number, for structures such as pollfd that take it by value.
    /// Only valid while the caller keeps the handle alive (DangerousAddRef, or sole ownership).</summary>
    internal int Descriptor => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Interop.Libc.Close((int)handle.ToInt64()) == 0;
}
