using Inosync.Configuration;
using Inosync.Testing;
using Inosync.Tests.Support;

namespace Inosync.Tests.Configuration;

public sealed class ConfigLoaderNodeTests : IDisposable
{
    private readonly TempTree _dir = new("inosync-config-");

    public ConfigLoaderNodeTests() => _dir.CreateDirectory("www");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ssh_is_rsyncs_remote_shell_for_ssh_nodes_only_and_a_node_tables_own_wins()
    {
        InosyncConfig config = _dir.Load("""
            wpath = "www"
            rpath = "/var/www"
            ssh = "ssh -p 2222 -i /etc/inosync/key"
            rnodes = ["web1:", "web2::www", ""]

            [[node]]
            target = "web3:"
            ssh = "ssh -p 2200"
            extra = ["-z"]
            """);

        SyncConfig sync = config.Syncs[0];
        sync.Nodes.Select(n => (n.Node, string.Join(' ', n.ExtraArgs))).Should().Equal(
            ("web1:", "-e ssh -p 2222 -i /etc/inosync/key"),
            ("web2::www", ""),
            ("", ""),
            ("web3:", "-e ssh -p 2200 -z"));
        Inosync.Renaming.RemoteShell.Command(sync.Nodes[0].ExtraArgs, null).Should().Be("ssh -p 2222 -i /etc/inosync/key", "renames go where rsync goes");
    }

    [Theory]
    [InlineData("\"\"", "'ssh' is only for nodes reached over ssh (\"host:\", \"user@host:\", \"sftp://host\"), and \"\" is a local directory")]
    [InlineData("\"web2::www\"", "'ssh' is only for nodes reached over ssh (\"host:\", \"user@host:\", \"sftp://host\"), and \"web2::www\" is an rsync daemon")]
    public void Ssh_in_the_table_of_a_node_not_reached_over_ssh_is_an_error(string target, string expected) =>
        _dir.LoadFails($"wpath = \"www\"\nrpath = \"/x\"\n[[node]]\ntarget = {target}\nssh = \"ssh -p 2\"\n").Should().Be($"{_dir.PathOf("sync.toml")}:5:7: {expected}");

    [Fact]
    public void An_empty_ssh_is_an_error() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"a:\"]\nssh = \" \"\n").Should().Be($"{_dir.PathOf("sync.toml")}:4:7: 'ssh' is empty (leave it out for plain ssh)");

    [Theory]
    [InlineData("web1:", "/var/www", NodeKind.Ssh, "web1:/var/www")]
    [InlineData("deploy@web1:", "/var/www/", NodeKind.Ssh, "deploy@web1:/var/www")]
    [InlineData("web1:", "/", NodeKind.Ssh, "web1:/")]
    [InlineData("web1:", "backup", NodeKind.Ssh, "web1:backup")]
    [InlineData("[fe80::1]:", "/srv", NodeKind.Ssh, "[fe80::1]:/srv")]
    [InlineData("web1::www", "/sub", NodeKind.RsyncDaemon, "web1::www/sub")]
    [InlineData("web1::www", "sub/dir/", NodeKind.RsyncDaemon, "web1::www/sub/dir")]
    [InlineData("web1::www", "/", NodeKind.RsyncDaemon, "web1::www")]
    [InlineData("web1::www", "", NodeKind.RsyncDaemon, "web1::www")]
    [InlineData("web1::www/", "/sub", NodeKind.RsyncDaemon, "web1::www/sub")]
    [InlineData("deploy@web1::www", "/sub", NodeKind.RsyncDaemon, "deploy@web1::www/sub")]
    [InlineData("rsync://web1/www", "/sub", NodeKind.RsyncDaemon, "rsync://web1/www/sub")]
    [InlineData("rsync://deploy@web1:8873/www", "", NodeKind.RsyncDaemon, "rsync://deploy@web1:8873/www")]
    [InlineData("RSYNC://[::1]/www", "//a//b//", NodeKind.RsyncDaemon, "RSYNC://[::1]/www/a/b")]
    public void Node_is_joined_with_rpath(string node, string rpath, NodeKind kind, string target)
    {
        NodeConfig loaded = LoadNodes($"rpath = \"{rpath}\"\nrnodes = [\"{node}\"]").Should().ContainSingle().Subject;

        loaded.Node.Should().Be(node);
        loaded.Kind.Should().Be(kind);
        loaded.Target.Should().Be(target);
    }

    [Theory]
    [InlineData("/backup/www", "/backup/www")]
    [InlineData("/backup/www/", "/backup/www")]
    [InlineData("mirror", "{dir}/mirror")]
    [InlineData("./a/../mirror//", "{dir}/mirror")]
    public void Local_node_target_is_rpath_made_absolute(string rpath, string target)
    {
        NodeConfig node = LoadNodes($"rpath = \"{rpath}\"\nrnodes = [\"\"]").Should().ContainSingle().Subject;

        node.Kind.Should().Be(NodeKind.Local);
        node.Target.Should().Be(target.Replace("{dir}", _dir.Root, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("host:::x", "the module name ':x' contains ':'")]
    [InlineData("rsync://", "it has no host after 'rsync://'")]
    [InlineData("rsync://host", "it has no module (rsync://host/module)")]
    [InlineData("rsync://host/", "the module name is empty")]
    [InlineData("rsync://host:0/m", "'0' is not a port number (1-65535)")]
    [InlineData("rsync://host:http/m", "'http' is not a port number (1-65535)")]
    [InlineData("rsync://host/m/sub", "it includes a path inside the module ('sub'): put that path in rpath")]
    [InlineData(":", "the host is empty")]
    [InlineData("@host:", "the user before '@' is empty")]
    [InlineData("host::", "the module name is empty")]
    [InlineData("host", "it has no ':' after the host")]
    [InlineData("/backup", "it has no ':' (for a local directory write \"\" and put the directory in rpath)")]
    [InlineData("host:/var/www", "it includes a path ('/var/www'): write the node as 'host:' and put the path in rpath")]
    [InlineData("host::mod/sub", "it includes a path inside the module ('sub'): put that path in rpath")]
    [InlineData(" host:", "it contains whitespace or a control character")]
    [InlineData("my host:", "it contains whitespace or a control character")]
    [InlineData("[]:", "the IPv6 address in '[...]' is empty or not closed")]
    [InlineData("a@b@c:", "'b@c' is not a host name")]
    [InlineData("sftp://", "it has no host after 'sftp://'")]
    [InlineData("ftp://host/htdocs", "it includes a path ('htdocs'): write the node as 'ftp://host' and put the path in rpath")]
    [InlineData("ftp://user:secret@host", "it includes a password (user:password@): put the password in a password_file, never in the node")]
    [InlineData("ftps://@host", "the user before '@' is empty")]
    [InlineData("sftp://host:99999", "'99999' is not a port number (1-65535)")]
    [InlineData("ftp://user@", "it has no host after 'ftp://'")]
    public void Malformed_node_shows_the_problem_and_the_accepted_forms(string node, string problem)
    {
        string message = _dir.LoadFails($"wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"{node}\"]\n");

        message.Should().Be(
            $"{SyncToml}:3:11: invalid node \"{node}\": {problem}; " +
            "accepted forms: \"\" (local directory), \"host:\" or \"user@host:\" (ssh), \"host::module\" or \"rsync://[user@]host[:port]/module\" (rsync daemon), " +
            "\"sftp://[user@]host[:port]\", \"ftp://[user@]host[:port]\" or \"ftps://[user@]host[:port]\" (a server without rsync)");
    }

    [Theory]
    [InlineData("sftp://web@example.org", "/srv/www", "sftp://web@example.org/srv/www", FileTransferProtocol.Sftp, "web", "example.org", null)]
    [InlineData("ftp://user@example.com@ftp.host:2121/", "htdocs/", "ftp://user@example.com@ftp.host:2121/~/htdocs", FileTransferProtocol.Ftp, "user@example.com", "ftp.host", 2121)]
    [InlineData("ftps://a%40b@[::1]:990", "x", "ftps://a%40b@[::1]:990/~/x", FileTransferProtocol.Ftps, "a@b", "[::1]", 990)]
    [InlineData("FTP://host", "/", "ftp://host/", FileTransferProtocol.Ftp, null, "host", null)]
    public void File_transfer_nodes_are_read_with_their_login_server_and_rpath(
        string node, string rpath, string target, FileTransferProtocol protocol, string? user, string host, int? port)
    {
        NodeConfig loaded = _dir.Load($"wpath = \"www\"\nrpath = \"{rpath}\"\nrnodes = [\"{node}\"]\n").Syncs[0].Nodes[0];

        loaded.Kind.Should().Be(NodeKind.FileTransfer);
        loaded.Target.Should().Be(target.Replace("a%40b", "a@b", StringComparison.Ordinal));
        loaded.Endpoint.Should().Be(new FileTransferEndpoint(protocol, user, host, port, NodeAddress.TrimTrailingSlashes(rpath)));
        loaded.ExtraArgs.Should().BeEmpty();
        loaded.Tls.Should().Be(FtpTls.Auto);
    }

    [Fact]
    public void An_ftp_node_table_takes_tls_a_password_file_and_speed_and_ignores_the_syncs_rsync_extra()
    {
        WriteSecret("ftp.pw", UnixFileMode.UserRead);
        NodeConfig node = _dir.Load(
            "wpath = \"www\"\nrpath = \"/x\"\nextra = [\"--checksum\"]\n[[node]]\ntarget = \"ftp://web@host\"\ntls = \"require\"\npassword_file = \"ftp.pw\"\nrspeed = 100\n").Syncs[0].Nodes[0];

        node.Tls.Should().Be(FtpTls.Require);
        node.PasswordFile.Should().Be(_dir.PathOf("ftp.pw"));
        node.SpeedLimitKBps.Should().Be(100);
        node.ExtraArgs.Should().BeEmpty("extra holds rsync arguments");
    }

    [Theory]
    [InlineData("ftp://web@host")]
    [InlineData("ftps://web@host")]
    public void An_ftp_or_ftps_node_takes_a_tls_ca_file(string target)
    {
        string ca = WriteSecret("ftp-ca.pem", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        _dir.Load($"wpath = \"www\"\nrpath = \"/x\"\n[[node]]\ntarget = \"{target}\"\ntls_ca_file = \"ftp-ca.pem\"\n").Syncs[0].Nodes[0]
            .TlsCaFile.Should().Be(ca, "it is a path relative to the configuration");
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupWrite, "0420")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite, "0406")]
    public void A_tls_ca_file_others_can_write_is_rejected(UnixFileMode mode, string octal)
    {
        string ca = WriteSecret("ftp-ca.pem", mode);

        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\n[[node]]\ntarget = \"ftp://h\"\ntls_ca_file = \"ftp-ca.pem\"\n").Should().Be(
            $"{SyncToml}:5:15: CA file '{ca}' has mode {octal}: group and others must not be able to write it (chmod go-w '{ca}')");
    }

    [Fact]
    public void The_ssh_key_is_the_connect_program_of_an_sftp_node() =>
        _dir.Load("wpath = \"www\"\nrpath = \"/x\"\nssh = \"ssh -p 2222 -i /k\"\nrnodes = [\"sftp://web@host\", \"web@host:\"]\n").Syncs[0].Nodes
            .Select(n => (n.RemoteShell, n.ExtraArgs.Count)).Should().Equal(("ssh -p 2222 -i /k", 0), (null, 2));

    [Theory]
    [InlineData("sftp://h", "tls = \"off\"", "5:7: 'tls' is only for ftp:// nodes (ftps:// is always TLS, sftp:// always ssh), and \"sftp://h\" is not one")]
    [InlineData("h::m", "tls = \"auto\"", "5:7: 'tls' is only for ftp:// nodes (ftps:// is always TLS, sftp:// always ssh), and \"h::m\" is not one")]
    [InlineData("ftp://h", "tls = \"maybe\"", "5:7: ")]
    [InlineData("ftp://h", "ssh = \"ssh -p 2\"", "5:7: 'ssh' is only for nodes reached over ssh (\"host:\", \"user@host:\", \"sftp://host\"), and \"ftp://h\" is an FTP server")]
    [InlineData("sftp://h", "extra = [\"-v\"]", "3:1: 'extra' holds rsync arguments, and \"sftp://h\" is reached with lftp, not rsync: remove it from this node table")]
    [InlineData("sftp://h", "password_file = \"www\"", "5:17: 'password_file' is only for rsync daemon and FTP nodes (\"host::module\", \"rsync://host/module\", \"ftp://user@host\"), and \"sftp://h\" is reached over ssh (log in with a key: see the 'ssh' key)")]
    [InlineData("sftp://h", "tls_ca_file = \"www\"", "5:15: 'tls_ca_file' is only for ftp:// and ftps:// nodes (sftp:// checks the host key with ssh), and \"sftp://h\" is not one")]
    [InlineData("h::m", "tls_ca_file = \"www\"", "5:15: 'tls_ca_file' is only for ftp:// and ftps:// nodes (sftp:// checks the host key with ssh), and \"h::m\" is not one")]
    [InlineData("ftp://h", "tls_ca_file = \"nope.pem\"", "5:15: CA file '")]
    [InlineData("ftp://h", "tls_ca_file = \"www\"", "5:15: CA file '")]
    public void File_transfer_node_keys_are_checked_against_the_protocol(string target, string line, string error) =>
        _dir.LoadFails($"wpath = \"www\"\nrpath = \"/x\"\n[[node]]\ntarget = \"{target}\"\n{line}\n").Should().StartWith($"{SyncToml}:{error}");

    [Fact]
    public void Same_target_twice_is_rejected() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x/\"\nrnodes = [\"a:\", \"b:\", \"a:\"]\n")
            .Should().Be($"{SyncToml}:3:23: node \"a:\" has the same target 'a:/x' as the node at {SyncToml}:3:11");

    [Fact]
    public void Same_target_from_rnodes_and_a_node_table_is_rejected() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\nrnodes = [\"h::m\"]\n[[node]]\ntarget = \"h::m/\"\n")
            .Should().Be($"{SyncToml}:4:1: node \"h::m/\" has the same target 'h::m/x' as the node at {SyncToml}:3:11");

    [Fact]
    public void Ssh_node_needs_rpath() =>
        _dir.LoadFails("wpath = \"www\"\nrnodes = [\"web1:\"]\n")
            .Should().Be($"{SyncToml}:1:1: missing key 'rpath': the ssh node \"web1:\" at {SyncToml}:2:11 needs the directory to sync into");

    [Fact]
    public void Local_node_needs_a_non_empty_rpath() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"\"\nrnodes = [\"\"]\n")
            .Should().Be($"{SyncToml}:2:9: 'rpath' is empty: the local node \"\" at {SyncToml}:3:11 needs the directory to sync into");

    [Fact]
    public void Daemon_node_needs_no_rpath() =>
        LoadNodes("rnodes = [\"h::m\"]").Should().ContainSingle().Which.Target.Should().Be("h::m");

    [Fact]
    public void Moves_default_to_rename_except_for_daemon_nodes()
    {
        IReadOnlyList<NodeConfig> nodes = LoadNodes("rpath = \"/x\"\nrnodes = [\"\", \"a:\", \"b::m\", \"rsync://c/m\"]");

        nodes.Select(n => n.Moves).Should().Equal(MoveStrategy.Rename, MoveStrategy.Rename, MoveStrategy.Transfer, MoveStrategy.Transfer);
    }

    [Fact]
    public void Moves_transfer_applies_to_every_node() =>
        LoadNodes("rpath = \"/x\"\nmoves = \"transfer\"\nrnodes = [\"a:\", \"b::m\"]")
            .Should().AllSatisfy(n => n.Moves.Should().Be(MoveStrategy.Transfer));

    [Fact]
    public void Moves_rename_on_a_daemon_node_table_is_rejected() =>
        _dir.LoadFails("wpath = \"www\"\n[[node]]\ntarget = \"b::m\"\nmoves = \"rename\"\n").Should().Be(
            $"{SyncToml}:4:9: moves = \"rename\" cannot apply to the rsync daemon node \"b::m\" (at {SyncToml}:2:1): a daemon cannot rename files, so daemon nodes always use \"transfer\"");

    [Fact]
    public void Moves_rename_for_a_sync_with_a_daemon_node_is_rejected() =>
        _dir.LoadFails("wpath = \"www\"\nmoves = \"Rename\"\nrnodes = [\"rsync://b/m\"]\n").Should().Be(
            $"{SyncToml}:2:9: moves = \"rename\" cannot apply to the rsync daemon node \"rsync://b/m\" (at {SyncToml}:3:11): a daemon cannot rename files, so daemon nodes always use \"transfer\"");

    [Fact]
    public void Node_table_settings_override_and_extend_the_sync()
    {
        IReadOnlyList<NodeConfig> nodes = LoadNodes("""
            rpath = "/srv"
            extra = ["--chmod=D755"]
            rspeed = 100
            rnodes = ["plain:"]

            [[node]]
            target = "special:"
            extra = ["-e", "ssh -p 2222 -i key"]
            rspeed = 0
            moves = "transfer"
            """);

        nodes.Should().HaveCount(2);
        nodes[0].Should().Be(new NodeConfig(
            "plain:", NodeKind.Ssh, "plain:/srv", nodes[0].ExtraArgs, 100, null, MoveStrategy.Rename, $"{SyncToml}:5:11"));
        nodes[0].ExtraArgs.Should().Equal("--chmod=D755");
        nodes[1].Should().Be(new NodeConfig(
            "special:", NodeKind.Ssh, "special:/srv", nodes[1].ExtraArgs, 0, null, MoveStrategy.Transfer, $"{SyncToml}:7:1"));
        nodes[1].ExtraArgs.Should().Equal("--chmod=D755", "-e", "ssh -p 2222 -i key");
    }

    [Fact]
    public void Node_table_needs_a_target() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\n\n[[node]]\nrspeed = 1\n")
            .Should().Be($"{SyncToml}:4:1: missing key 'target' in this node table (the node, e.g. target = \"user@host:\")");

    [Fact]
    public void Node_must_be_an_array_of_tables() =>
        _dir.LoadFails("wpath = \"www\"\nrpath = \"/x\"\nnode = [\"a:\"]\n")
            .Should().Be($"{SyncToml}:3:9: 'node' must be an array of tables (write [[node]]), but it holds a string");

    [Fact]
    public void Password_file_is_passed_on_for_daemon_nodes()
    {
        string secret = WriteSecret("secrets/rsync.pw", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        NodeConfig node = LoadNodes("[[node]]\ntarget = \"rsync://backup@h:8873/www\"\npassword_file = \"secrets/rsync.pw\"")
            .Should().ContainSingle().Subject;

        node.PasswordFile.Should().Be(secret);
        node.Moves.Should().Be(MoveStrategy.Transfer);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead, "0440")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherWrite, "0402")]
    public void Password_file_readable_by_others_is_rejected(UnixFileMode mode, string octal)
    {
        string secret = WriteSecret("rsync.pw", mode);

        _dir.LoadFails("wpath = \"www\"\n[[node]]\ntarget = \"h::m\"\npassword_file = \"rsync.pw\"\n").Should().Be(
            $"{SyncToml}:4:17: password file '{secret}' has mode {octal}: group and others must have no access to it (chmod 600 '{secret}')");
    }

    [Fact]
    public void Missing_password_file_is_rejected() =>
        _dir.LoadFails("wpath = \"www\"\n[[node]]\ntarget = \"h::m\"\npassword_file = \"nope.pw\"\n")
            .Should().Be($"{SyncToml}:4:17: password file '{_dir.PathOf("nope.pw")}' does not exist");

    [Fact]
    public void Password_file_that_is_a_directory_is_rejected() =>
        _dir.LoadFails("wpath = \"www\"\n[[node]]\ntarget = \"h::m\"\npassword_file = \"www\"\n")
            .Should().Be($"{SyncToml}:4:17: password file '{_dir.PathOf("www")}' is a directory");

    [Theory]
    [InlineData("web1:", "reached over ssh (log in with a key: see the 'ssh' key)")]
    [InlineData("", "a local directory")]
    public void Password_file_on_a_non_daemon_node_is_rejected(string target, string how)
    {
        WriteSecret("rsync.pw", UnixFileMode.UserRead);

        _dir.LoadFails($"wpath = \"www\"\nrpath = \"/x\"\n[[node]]\ntarget = \"{target}\"\npassword_file = \"rsync.pw\"\n").Should().Be(
            $"{SyncToml}:5:17: 'password_file' is only for rsync daemon and FTP nodes (\"host::module\", \"rsync://host/module\", \"ftp://user@host\"), and \"{target}\" is {how}");
    }

    private string SyncToml => _dir.PathOf("sync.toml");

    private string WriteSecret(string relative, UnixFileMode mode)
    {
        string path = _dir.WriteFile(relative, "s3cret\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
        return path;
    }

    private IReadOnlyList<NodeConfig> LoadNodes(string toml) =>
        _dir.Load("wpath = \"www\"\n" + toml + "\n").Syncs.Should().ContainSingle().Subject.Nodes;
}
