using Inosync.Toml;

namespace Inosync.Configuration;

/// <summary>One node as written: an <c>rnodes</c> string or a node table, before rpath and the sync's settings are applied.</summary>
internal sealed record NodeSettings(
    NodeAddress Address,
    TomlPosition Position,
    IReadOnlyList<string> Extra,
    int? Speed,
    string? PasswordFile,
    Setting<MoveStrategy>? Moves,
    Setting<string>? RemotePath)
{
    public static NodeSettings FromString(Setting<string> node, ConfigSource source) =>
        new(Parse(node, source), node.Position, [], null, null, null, null);

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
            table.Integer(ConfigKeys.Speed, 0)?.Value,
            ReadPasswordFile(table, address),
            SyncSettings.ReadMoves(table),
            table.String(ConfigKeys.RemotePath));
    }

    private static NodeAddress Parse(Setting<string> node, ConfigSource source) =>
        NodeAddress.TryParse(node.Value, out NodeAddress? address, out string? problem)
            ? address
            : throw source.Error(node.Position, $"invalid node \"{node.Value}\": {problem}; {NodeAddress.AcceptedForms}");

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
