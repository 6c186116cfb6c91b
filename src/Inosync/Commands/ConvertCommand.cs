using System.CommandLine;
using System.Text;
using Inosync.Configuration;
using Inosync.Migration;

namespace Inosync.Cli.Commands;

/// <summary>
/// <c>inosync convert OLD.py [-o FILE]</c>: turn a Python inosync config into sync.toml, printed to stdout or
/// written to FILE. Errors are one line on stderr: 66 when OLD.py cannot be read, 78 when it cannot be converted,
/// 73 when FILE cannot be written.
/// </summary>
internal static class ConvertCommand
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create()
    {
        var input = new Argument<string>("OLD.py")
        {
            Description = "The Python inosync configuration file (e.g. /etc/inosync/default.py).",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the TOML to this file instead of standard output.",
            HelpName = "FILE",
        };
        var command = new Command("convert", "Convert a Python inosync configuration file to sync.toml.")
        {
            input,
            output,
        };
        command.SetAction((parseResult, cancellationToken) =>
            ConvertAsync(parseResult.GetRequiredValue(input), parseResult.GetValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> ConvertAsync(string input, string? output, CancellationToken cancellationToken)
    {
        string toml;
        try
        {
            if (!string.IsNullOrEmpty(output) && input.Length > 0 && SameFile(input, output))
            {
                await Console.Error.WriteLineAsync($"inosync: {output}: refusing to overwrite the file being converted");
                return (int)ExitCode.Usage;
            }

            toml = LegacyConfigConverter.ConvertFile(input);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync($"inosync: {ex.Message}");
            return (int)ex.ExitCode;
        }

        if (output is null)
        {
            await Console.Out.WriteAsync(toml);
            await Console.Out.FlushAsync(cancellationToken);
            return (int)ExitCode.Ok;
        }

        try
        {
            await File.WriteAllTextAsync(output, toml, s_utf8, cancellationToken);
            return (int)ExitCode.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            string why = ex switch
            {
                DirectoryNotFoundException => "no such directory",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
            await Console.Error.WriteLineAsync($"inosync: {output}: cannot write the file: {why}");
            return (int)ExitCode.CantCreate;
        }
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
