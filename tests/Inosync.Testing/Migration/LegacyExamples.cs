namespace Inosync.Testing.Migration;

/// <summary>
/// The example configurations of the Python inosync and its forks, as published in their READMEs and sample files:
/// the converter must handle every one of them.
/// </summary>
/// <remarks>
/// The README examples are RST/Markdown literal blocks indented by two spaces; they are dedented here (Python itself
/// rejects an indented statement) and otherwise copied verbatim, tabs included, minus trailing blanks.
/// Each string ends with the file's final newline.
/// </remarks>
public static class LegacyExamples
{
    /// <summary>
    /// The original inosync, version 0.2.1: README.rst, "Configuration" (as shipped in the Debian/Ubuntu package
    /// inosync 0.2.1-1, /usr/share/doc/inosync/README.rst; upstream http://github.com/hollow/inosync).
    /// <c>rpath</c> is only a helper here: each node is rsync's whole destination, built as "host:" + rpath.
    /// </summary>
    public const string OriginalReadme021 = """
        # directory that should be watched for changes
        wpath = "/var/www/"

        # exclude list for rsync
        rexcludes = [
        	"/localhost",
        ]

        # common remote path
        rpath = "/var/www/"

        # remote locations in rsync syntax
        rnodes = [
        	"a.mirror.com:" + rpath,
        	"b.mirror.com:" + rpath,
        	"c.mirror.com:" + rpath,
        ]

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # event mask (only sync on these events)
        #emask = [
        #	"IN_CLOSE_WRITE",
        #	"IN_CREATE",
        #	"IN_DELETE",
        #	"IN_MOVED_FROM",
        #	"IN_MOVED_TO",
        #]

        # event delay in seconds (this prevents huge
        # amounts of syncs, but dicreases the
        # realtime side of things)
        #edelay = 10

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        """;

    /// <summary>
    /// The original inosync, version 0.2.3 (its last): README.rst, "Configuration", as mirrored in
    /// https://github.com/trdenton/inosync (README.rst). Adds the commented-out <c>extra</c>.
    /// </summary>
    public const string OriginalReadme023 = """
        # directory that should be watched for changes
        wpath = "/var/www/"

        # exclude list for rsync
        rexcludes = [
        	"/localhost",
        ]

        # common remote path
        rpath = "/var/www/"

        # remote locations in rsync syntax
        rnodes = [
        	"a.mirror.com:" + rpath,
        	"b.mirror.com:" + rpath,
        	"c.mirror.com:" + rpath,
        ]

        # extra, raw parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # event mask (only sync on these events)
        #emask = [
        #	"IN_CLOSE_WRITE",
        #	"IN_CREATE",
        #	"IN_DELETE",
        #	"IN_MOVED_FROM",
        #	"IN_MOVED_TO",
        #]

        # event delay in seconds (this prevents huge
        # amounts of syncs, but dicreases the
        # realtime side of things)
        #edelay = 10

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        """;

    /// <summary>
    /// The fork that syncs several trees (<c>wpaths</c>/<c>rpaths</c>): README.rst, "Configuration", of
    /// https://github.com/tarabanton/inosync. Nodes are "user@host:" and the daemon appends rpaths[i].
    /// </summary>
    public const string WpathsForkReadme = """
        # array of directories that should be watched for changes
        wpaths = ["/var/www/"]

        # exclude list for rsync
        rexcludes = [
        	"/localhost",
        ]

        # rpaths has one-to-one correspondence with wpaths for syncing multiple directories
        rpaths = ["/var/www/"]

        # remote locations in rsync syntax
        rnodes = [
        	"user1@a.mirror.com:",
        	"user2@b.mirror.com:",
        	"user3@c.mirror.com:",
        ]

        # extra, raw parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # event mask (only sync on these events)
        #emask = [
        #	"IN_CLOSE_WRITE",
        #	"IN_CREATE",
        #	"IN_DELETE",
        #	"IN_MOVED_FROM",
        #	"IN_MOVED_TO",
        #]

        # event delay in seconds (this prevents huge
        # amounts of syncs, but dicreases the
        # realtime side of things)
        #edelay = 10

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        """;

    /// <summary>
    /// The same fork with one exclude list per wpath: README.rst of https://github.com/noktoborus/inosync.
    /// </summary>
    public const string PerPathExcludesForkReadme = """
        # array of directories that should be watched for changes
        wpaths = ["/var/www/"]

        # exclude list for rsync
        rexcludes = [
        	["/localhost", ],
        ]

        # rpaths has one-to-one correspondence with wpaths for syncing multiple directories
        rpaths = ["/var/www/"]

        # remote locations in rsync syntax
        rnodes = [
        	"user1@a.mirror.com:",
        	"user2@b.mirror.com:",
        	"user3@c.mirror.com:",
        ]

        # extra, raw parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # event mask (only sync on these events)
        #emask = [
        #	"IN_CLOSE_WRITE",
        #	"IN_CREATE",
        #	"IN_DELETE",
        #	"IN_MOVED_FROM",
        #	"IN_MOVED_TO",
        #]

        # event delay in seconds (this prevents huge
        # amounts of syncs, but dicreases the
        # realtime side of things)
        #edelay = 10

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        """;

    /// <summary>
    /// The single-tree fork whose daemon reads rpath and appends it to each node: README.md, "Configuration", of
    /// https://github.com/setop/inosync.
    /// </summary>
    public const string SetopForkReadme = """
        # directory that should be watched for changes
        wpath = "/var/www"

        # exclude list for inotify
        rexcludes = [
        	"*.bin",
        ]

        # rpaths has one-to-one correspondence with wpaths for syncing multiple directories
        rpath = "/var/www"

        # remote locations in rsync syntax, use "" for local
        rnodes = [
        	"user1@a.mirror.com:",
        	"user2@b.mirror.com:",
        	"user3@c.mirror.com:",
        ]

        # extra, raw parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        """;

    /// <summary>sample_config.py of https://github.com/trdenton/inosync: two wpaths/rpaths pairs and a logfile.</summary>
    public const string WpathsForkSample = """
        # directory that should be watched for changes
        wpaths = ["/home/username/path1/", "/home/username/path2/"]

        # exclude list for rsync
        rexcludes = [
        	".git/",
        ]

        # rpaths has one-to-one correspondence with wpaths for syncing multiple directories
        rpaths = ["/home/rusername/rpath1", "/home/rusername/rpath2/"]

        # remote locations in rsync syntax
        rnodes = [
        	"username@server1.com:",
        	"username2@server2.com:",
        ]

        # extra, raw parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # event mask (only sync on these events)
        #emask = [
        #	"IN_CLOSE_WRITE",
        #	"IN_CREATE",
        #	"IN_DELETE",
        #	"IN_MOVED_FROM",
        #	"IN_MOVED_TO",
        #]

        # event delay in seconds (prevents huge amounts of syncs, but dicreases the
        # realtime side of things)
        #edelay = 10

        # rsync log file for updates
        logfile = "/home/username/inosync.log"

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        """;

    /// <summary>sample_config.py of https://github.com/noktoborus/inosync: one exclude list per wpath.</summary>
    public const string PerPathExcludesForkSample = """
        # directory that should be watched for changes
        wpaths = ["/home/username/path1/", "/home/username/path2/"]

        # exclude list for rsync
        rexcludes = [
                [ ".git/", ".hg/"],
                [ "build/" ],
        ]

        # rpaths has one-to-one correspondence with wpaths for syncing multiple directories
        rpaths = ["/home/rusername/rpath1", "/home/rusername/rpath2/"]

        # remote locations in rsync syntax
        rnodes = [
        	"username@server1.com:",
        	"username2@server2.com:",
        ]

        # extra, raw parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # event mask (only sync on these events)
        #emask = [
        #	"IN_CLOSE_WRITE",
        #	"IN_CREATE",
        #	"IN_DELETE",
        #	"IN_MOVED_FROM",
        #	"IN_MOVED_TO",
        #]

        # event delay in seconds (prevents huge amounts of syncs, but dicreases the
        # realtime side of things)
        #edelay = 10

        # rsync log file for updates
        logfile = "/home/username/inosync.log"

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        """;

    /// <summary>
    /// sample_config.py of https://github.com/tarabanton/inosync: ssh:// nodes with ports (its daemon parsed them
    /// with urlparse) and its own sleep_time.
    /// </summary>
    public const string SshUrlForkSample = """
        # directory that should be watched for changes
        wpaths = ["/home/username/path1/", "/home/username/path2/"]

        # exclude list for rsync
        rexcludes = [
        	".git/",
        ]

        # rpaths has one-to-one correspondence with wpaths for syncing multiple directories
        rpaths = ["/home/rusername/rpath1", "/home/rusername/rpath2/"]

        # remote locations in rsync syntax
        rnodes = [
        	"ssh://username@server1.com:22",
        	"ssh://username2@server2.com:222",
        ]

        # patterns to exclude listening from
        # inotify_excludes = [
        # 	".glusterfs",
        # 	"LOGS",
        # ]

        # extra, raw parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        #rspeed = 0

        # event mask (only sync on these events)
        #emask = [
        #	"IN_CLOSE_WRITE",
        #	"IN_CREATE",
        #	"IN_DELETE",
        #	"IN_MOVED_FROM",
        #	"IN_MOVED_TO",
        #]

        # event delay in seconds (prevents huge amounts of syncs, but dicreases the
        # realtime side of things)
        #edelay = 10

        # rsync log file for updates
        logfile = "/home/username/inosync.log"

        # rsync binary path
        #rsync = "/usr/bin/rsync"

        # how often you want to create a batched rsync
        sleep_time = 60

        """;

    /// <summary>sample_config.py of https://github.com/setop/inosync: comments after values, a relative logfile.</summary>
    public const string SetopForkSample = """
        # directory that should be watched for changes
        # mandatory
        wpath = "/home/user/www" # MUST BE ABSOLUTE PATH

        # exclude list for rsync
        rexcludes = [
        	"*/6/*",
        	"*.bin",
        ]

        # directory where changes will be rsynced
        # mandatory
        rpath = "/var/lib/www" # MUST BE ABSOLUTE PATH

        # remote locations in rsync syntax, use "" for local, or "user@host:" for remote
        # mandatory
        rnodes = [
        	"user1@a.mirror.com:",
        	"user2@b.mirror.com:",
        	"user3@c.mirror.com:",
        ]

        # rsync binary path
        # for test purpose, use "/bin/echo rsync"
        # defaults to "/usr/bin/rsync"
        #rsync = "/usr/bin/rsync" # MUST BE ABSOLUTE PATH

        # extra parameters to rsync
        #extra = "--rsh=ssh -a"

        # limit remote sync speed (in KB/s, 0 = no limit)
        # defaults to 0
        #rspeed = 0

        # rsync log file for updates
        logfile = "log/inosync.log"

        """;

    /// <summary>Every example, by name.</summary>
    public static IReadOnlyList<(string Name, string Text)> All { get; } =
    [
        (nameof(OriginalReadme021), OriginalReadme021),
        (nameof(OriginalReadme023), OriginalReadme023),
        (nameof(WpathsForkReadme), WpathsForkReadme),
        (nameof(PerPathExcludesForkReadme), PerPathExcludesForkReadme),
        (nameof(SetopForkReadme), SetopForkReadme),
        (nameof(WpathsForkSample), WpathsForkSample),
        (nameof(PerPathExcludesForkSample), PerPathExcludesForkSample),
        (nameof(SshUrlForkSample), SshUrlForkSample),
        (nameof(SetopForkSample), SetopForkSample),
    ];
}
