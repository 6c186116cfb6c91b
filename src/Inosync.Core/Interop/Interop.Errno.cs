namespace Inosync;

internal static partial class Interop
{
    /// <summary>The errno values we branch on (Linux numbering; read with <c>Marshal.GetLastPInvokeError()</c>).</summary>
    internal static class Errno
    {
        internal const int ENOENT = 2;
        internal const int EINTR = 4;
        internal const int EAGAIN = 11;
        internal const int EACCES = 13;
        internal const int EEXIST = 17;
        internal const int ENOTDIR = 20;
        internal const int EISDIR = 21;
        internal const int EINVAL = 22;
        internal const int ENFILE = 23;
        internal const int EMFILE = 24;
        internal const int ENOSPC = 28;
        internal const int ENOSYS = 38;
        internal const int ENOTEMPTY = 39;
        internal const int ELOOP = 40;
    }
}
