using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>One node as written: an <c>rnodes</c> string or a node table, before rpath and the sync's settings are applied.</summary>
internal sealed record NodeSettings(
    NodeAddress Address,
    TomlPosition Position,
    IReadOnlyList<string> Extra,
    Setting<string>? Ssh,
    int? Speed,
    string? PasswordFile,
    Setting<MoveStrategy>? Moves,
    Setting<string>? RemotePath)
{
    private static readonly (string Name, FtpTls Value)[] s_tls = [("auto", FtpTls.Auto), ("require", FtpTls.Require), ("off", FtpTls.Off)];

    /// <summary>The <c>tls</c> key of an ftp:// node table; null when not set.</summary>
    public FtpTls? Tls { get; init; }

    /// <summary>The <c>tls_ca_file</c> key of an ftp:// or ftps:// node table; null when not set.</summary>
    public string? TlsCaFile { get; init; }

    public static NodeSettings FromString(Setting<string> node, ConfigSource source) =>
        new(Parse(node, source), node.Position, [], null, null, null, null, null);

    /// <summary>Reads a [[node]] / [[sync.node]] table.</summary>
    public static NodeSettings FromTable(TableReader table)
    {
        Setting<string> target = table.String(ConfigKeys.Target)
            ?? throw table.Source.Error(table.Position, $"missing key '{ConfigKeys.Target}' in this node table (the node, e.g. target = \"user@host:\")");
        NodeAddress address = Parse(target, table.Source);
        return new NodeSettings(
            address,
            table.Position,
            ReadExtra(table, address),
            ReadSsh(table, address),
            table.Integer(ConfigKeys.Speed, 0)?.Value,
            ReadPasswordFile(table, address),
            SyncSettings.ReadMoves(table),
            table.String(ConfigKeys.RemotePath))
        {
            Tls = ReadTls(table, address),
            TlsCaFile = ReadTlsCaFile(table, address),
        };
    }

    private static string[] ReadExtra(TableReader table, NodeAddress address)
    {
        string[] extra = SyncSettings.ReadExtra(table) ?? [];
        return extra.Length > 0 && address.Kind == NodeKind.FileTransfer
            ? throw table.Source.Error(
                table.Position,
                $"'{ConfigKeys.Extra}' holds rsync arguments, and \"{address.Text}\" is reached with lftp, not rsync: remove it from this node table")
            : extra;
    }

    private static FtpTls? ReadTls(TableReader table, NodeAddress address)
    {
        if (table.Choice(ConfigKeys.Tls, s_tls) is not { } tls)
        {
            return null;
        }

        return address.Kind == NodeKind.FileTransfer && address.ToEndpoint("").Protocol == FileTransferProtocol.Ftp
            ? tls.Value
            : throw table.Source.Error(
                tls.Position,
                $"'{ConfigKeys.Tls}' is only for ftp:// nodes (ftps:// is always TLS, sftp:// always ssh), and \"{address.Text}\" is not one");
    }

    private static string? ReadTlsCaFile(TableReader table, NodeAddress address)
    {
        if (table.Path(ConfigKeys.TlsCaFile) is not { } setting)
        {
            return null;
        }

        if (address.Kind != NodeKind.FileTransfer || UsesSsh(address))
        {
            throw table.Source.Error(
                setting.Position, $"'{ConfigKeys.TlsCaFile}' is only for ftp:// and ftps:// nodes (sftp:// checks the host key with ssh), and \"{address.Text}\" is not one");
        }

        // Whoever can write it can make inosync trust a server of theirs, and send it the password and the tree.
        const UnixFileMode GroupOrOthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        return CheckedFile(table, setting, "CA file", GroupOrOthersWrite, "group and others must not be able to write it (chmod go-w '{0}')");
    }

    /// <summary>
    /// The path of an existing file that group and others have none of the <paramref name="refused"/> access to, or an
    /// error naming it as <paramref name="what"/> with <paramref name="rule"/> ({0}: the path). Windows has no Unix modes to check.
    /// </summary>
    private static string CheckedFile(TableReader table, Setting<string> setting, string what, UnixFileMode refused, string rule)
    {
        string path = setting.Value;
        if (!File.Exists(path))
        {
            string problem = Directory.Exists(path) ? "is a directory" : "does not exist";
            throw table.Source.Error(setting.Position, $"{what} '{path}' {problem}");
        }

        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) is var mode && (mode & refused) != 0)
        {
            string octal = Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
            throw table.Source.Error(
                setting.Position, $"{what} '{path}' has mode {octal}: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, rule, path));
        }

        return path;
    }

    private static NodeAddress Parse(Setting<string> node, ConfigSource source) =>
        NodeAddress.TryParse(node.Value, out NodeAddress? address, out string? problem)
            ? address
            : throw source.Error(node.Position, $"invalid node \"{node.Value}\": {problem}; {NodeAddress.AcceptedForms}");

    // In a node table the node is known: ssh on a local or daemon node is a mistake, not a default to skip.
    private static Setting<string>? ReadSsh(TableReader table, NodeAddress address)
    {
        Setting<string>? ssh = SyncSettings.ReadSsh(table);
        if (ssh is { } set && !UsesSsh(address))
        {
            string how = address.Kind switch
            {
                NodeKind.Local => "a local directory",
                NodeKind.RsyncDaemon => "an rsync daemon",
                _ => "an FTP server",
            };
            throw table.Source.Error(
                set.Position, $"'{ConfigKeys.Ssh}' is only for nodes reached over ssh (\"host:\", \"user@host:\", \"sftp://host\"), and \"{address.Text}\" is {how}");
        }

        return ssh;
    }

    /// <summary>Whether the node is reached over ssh: rsync over ssh, or sftp.</summary>
    public static bool UsesSsh(NodeAddress address) =>
        address.Kind == NodeKind.Ssh || (address.Kind == NodeKind.FileTransfer && address.ToEndpoint("").Protocol == FileTransferProtocol.Sftp);

    private static string? ReadPasswordFile(TableReader table, NodeAddress address)
    {
        if (table.Path(ConfigKeys.PasswordFile) is not { } setting)
        {
            return null;
        }

        if (address.Kind != NodeKind.RsyncDaemon && !(address.Kind == NodeKind.FileTransfer && !UsesSsh(address)))
        {
            string how = address.Kind == NodeKind.Local ? "a local directory" : "reached over ssh (log in with a key: see the 'ssh' key)";
            throw table.Source.Error(
                setting.Position,
                $"'{ConfigKeys.PasswordFile}' is only for rsync daemon and FTP nodes (\"host::module\", \"rsync://host/module\", \"ftp://user@host\"), and \"{address.Text}\" is {how}");
        }

        // rsync ignores a password file that others can access, then prompts for a password a daemon
        // cannot type. It tolerates group access; we do not, since the file holds a secret.
        const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        return CheckedFile(table, setting, "password file", GroupOrOthers, "group and others must have no access to it (chmod 600 '{0}')");
    }
}
