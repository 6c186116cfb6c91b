using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

/// <summary>wpath may not lie on /proc, /sys and the like, nor contain such a mount that rexcludes leaves in.</summary>
public sealed class ConfigLoaderPseudoFileSystemTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-pseudo-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_wpath_on_proc_is_refused() =>
        _dir.LoadFails("wpath = \"/proc/sys\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n").Should().Be(
            $"{_dir.PathOf("sync.toml")}:1:9: wpath '/proc/sys' lies on /proc (proc), a pseudo file system: its files are not data, " +
            "change by themselves and are not seen by inotify; watch a real directory");

    [Fact]
    public void The_root_directory_is_refused_while_proc_sys_and_dev_are_in_it() =>
        _dir.LoadFails("wpath = \"/\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\n").Should()
            .MatchRegex(@"^.*sync\.toml:1:9: wpath '/' contains /\S+ \(\S+\), a pseudo file system: .*; watch a real directory, or exclude it \(rexcludes = \[""/\S+/""\]\)$");

    [Fact]
    public void The_root_directory_is_accepted_once_every_pseudo_mount_is_excluded()
    {
        // Exclude the top-level directory of every pseudo mount this machine has.
        string[] pseudo = ["proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs", "pstore",
            "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs", "efivarfs", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "selinuxfs"];
        string excludes = string.Join(", ", File.ReadAllLines("/proc/self/mountinfo")
            .Where(line => pseudo.Contains(line[(line.IndexOf(" - ", StringComparison.Ordinal) + 3)..].Split(' ')[0]))
            .Select(line => line.Split(' ')[4].Split('/', StringSplitOptions.RemoveEmptyEntries)[0])
            .Distinct(StringComparer.Ordinal)
            .Select(top => $"\"/{top}/\""));

        InosyncConfig config = _dir.Load($"wpath = \"/\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\nrexcludes = [{excludes}]\n");

        config.Syncs[0].WatchPath.Should().Be("/");
    }
}
