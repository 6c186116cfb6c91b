using System.Runtime.Versioning;
using System.Text;

namespace Inosync.Tests.Remote;

/// <summary>A small tree with the kinds of entries rsync -a must carry: nested directories, modes, a symlink, an empty file.</summary>
[SupportedOSPlatform("linux")]
internal static class SampleTree
{
    public static void Write(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "docs", "deep", "deeper"));
        File.WriteAllText(Path.Combine(root, "readme.txt"), "hello\n");
        File.WriteAllText(Path.Combine(root, "docs", "a b.txt"), "spaces in the name\n");
        File.WriteAllBytes(Path.Combine(root, "docs", "deep", "deeper", "blob.bin"), Encoding.UTF8.GetBytes(new string('x', 100_000)));
        File.WriteAllText(Path.Combine(root, "empty"), "");
        string script = Path.Combine(root, "run.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "docs/a b.txt");
    }
}
