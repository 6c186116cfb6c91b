using System.Globalization;
using Inosync.IntegrationTests.Support;
using Inosync.Testing.Servers;

namespace Inosync.IntegrationTests.Remote;

/// <summary>The [[node]] tables the SFTP and FTP tests give the daemon, and what they check on the server's side.</summary>
internal static class FileTransferNodes
{
    /// <summary>The node's rpath on the FTP server, relative to the login directory.</summary>
    public const string RemoteDirectory = "mirror";

    /// <summary>An ftp:// node on <paramref name="ftp"/> (its password file unless another is given).</summary>
    public static ScenarioNode FtpNode(FtpServer ftp, string? passwordFile = null, string tls = "off", string extra = "") => new(
        $"[[node]]\ntarget = \"{ftp.Node}\"\nrpath = \"{RemoteDirectory}\"\ntls = \"{tls}\"\npassword_file = {SyncScenario.TomlString(passwordFile ?? ftp.PasswordFile)}\n{extra}",
        Path.Combine(ftp.DataPath, RemoteDirectory));

    /// <summary>The ftps:// node (implicit TLS) of a server started with TLS, trusting the server's CA.</summary>
    public static ScenarioNode FtpsNode(FtpServer ftp) => new(
        $"[[node]]\ntarget = \"{ftp.FtpsNode}\"\nrpath = \"{RemoteDirectory}\"\ntls_ca_file = {SyncScenario.TomlString(ftp.CaFile!)}\npassword_file = {SyncScenario.TomlString(ftp.PasswordFile)}\n",
        Path.Combine(ftp.DataPath, RemoteDirectory));

    /// <summary>An sftp:// node on <paramref name="ssh"/>, its data directory as rpath.</summary>
    public static ScenarioNode SftpNode(SshServer ssh) => new(
        $"[[node]]\ntarget = \"{ssh.SftpNode}\"\nrpath = {SyncScenario.TomlString(ssh.DataPath)}\nssh = {SyncScenario.TomlString(ssh.SshCommand)}\n",
        ssh.DataPath);

    /// <summary>The inode of <paramref name="path"/>: the same one after a move means the server renamed, not re-sent.</summary>
    public static async Task<long> InodeAsync(string path) =>
        long.Parse((await Shell.RunAsync("stat -c %i \"$1\"", path)).Trim(), CultureInfo.InvariantCulture);
}
