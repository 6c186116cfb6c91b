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
            SyncSettings.ReadExtra(table) ?? [],
            ReadSsh(table, address),
            table.Integer(ConfigKeys.Speed, 0)?.Value,
            ReadPasswordFile(table, address),
            SyncSettings.ReadMoves(table),
            table.String(ConfigKeys.RemotePath));
    }

    private static NodeAddress Parse(Setting<string> node, ConfigSource source) =>
        NodeAddress.TryParse(node.Value, out NodeAddress? address, out string? problem)
            ? address
            : throw source.Error(node.Position, $"invalid node \"{node.Value}\": {problem}; {NodeAddress.AcceptedForms}");

    // In a node table the node is known: ssh on a local or daemon node is a mistake, not a default to skip.
    private static Setting<string>? ReadSsh(TableReader table, NodeAddress address)
    {
        Setting<string>? ssh = SyncSettings.ReadSsh(table);
        if (ssh is { } set && address.Kind != NodeKind.Ssh)
        {
            string how = address.Kind == NodeKind.Local ? "a local directory" : "an rsync daemon";
            throw table.Source.Error(
                set.Position, $"'{ConfigKeys.Ssh}' is only for nodes reached over ssh (\"host:\", \"user@host:\"), and \"{address.Text}\" is {how}");
        }

        return ssh;
    }

    private static string? ReadPasswordFile(TableReader table, NodeAddress address)
    {
        if (table.Path(ConfigKeys.PasswordFile) is not { } setting)
        {
            return null;
        }

        string path = setting.Value;
        if (address.Kind != NodeKind.RsyncDaemon)
        {
            string how = address.Kind == NodeKind.Ssh ? "reached over ssh" : "a local directory";
            throw table.Source.Error(
                setting.Position,
                $"'{ConfigKeys.PasswordFile}' is only for rsync daemon nodes (\"host::module\", \"rsync://host/module\"), and \"{address.Text}\" is {how}");
        }

        if (!File.Exists(path))
        {
            string what = Directory.Exists(path) ? "is a directory" : "does not exist";
            throw table.Source.Error(setting.Position, $"password file '{path}' {what}");
        }

        // rsync ignores a password file that others can access, then prompts for a password a daemon
        // cannot type. It tolerates group access; we do not, since the file holds a secret.
        // (Windows has no Unix modes to check.)
        const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) is var mode && (mode & GroupOrOthers) != 0)
        {
            string octal = Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
            throw table.Source.Error(
                setting.Position,
                $"password file '{path}' has mode {octal}: group and others must have no access to it (chmod 600 '{path}')");
        }

        return path;
    }
}
