using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Inosync.Benchmarks.Measuring;

/// <summary>What the machine is, for the report: a figure means little without it.</summary>
internal static class MachineInfo
{
    public static List<(string Name, string Value)> Describe(string workDirectory, string inosyncBinary)
    {
        var rows = new List<(string, string)>
        {
            ("Host", Environment.MachineName),
            ("CPU", $"{CpuModel()}, {Environment.ProcessorCount} logical CPUs"),
            ("Memory", $"{MemTotalGiB():0.0} GiB"),
            ("OS", $"{OsName()}, Linux {Read("/proc/sys/kernel/osrelease")}"),
            ("Work directory", $"{workDirectory} ({FileSystemOf(workDirectory)})"),
            ("inotify limits", $"max_user_watches {Read("/proc/sys/fs/inotify/max_user_watches")}, max_queued_events {Read("/proc/sys/fs/inotify/max_queued_events")}"),
            ("rsync", FirstLine("rsync", "--version")),
            ("lsyncd", FirstLine("lsyncd", "--version")),
            ("inotifywait", FirstLine("inotifywait", "--help")),
            ("inosync", $"{FirstLine(inosyncBinary, "--version")} ({BuildKind(inosyncBinary)})"),
            (".NET (benchmark)", RuntimeInformation.FrameworkDescription),
        };
        return rows;
    }

    /// <summary>/proc/loadavg's first three fields.</summary>
    public static string LoadAverage() => string.Join(' ', Read("/proc/loadavg").Split(' ').Take(3));

    private static string BuildKind(string binary)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(binary))!;
        if (!File.Exists(Path.Combine(directory, "inosync.dll")))
        {
            return "NativeAOT single file";
        }

        return File.Exists(Path.Combine(directory, "inosync.runtimeconfig.json")) && IsReadyToRun(Path.Combine(directory, "Inosync.Core.dll"))
            ? "framework-dependent, ReadyToRun"
            : "framework-dependent, JIT";
    }

    private static bool IsReadyToRun(string assembly)
    {
        try
        {
            using var stream = File.OpenRead(assembly);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException)
        {
            return false;
        }
    }

    private static string CpuModel()
    {
        foreach (string line in File.ReadLines("/proc/cpuinfo"))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static double MemTotalGiB()
    {
        string line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }

    private static string OsName()
    {
        const string Key = "PRETTY_NAME=";
        string? line = File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal)) : null;
        return line?[Key.Length..].Trim('"') ?? RuntimeInformation.OSDescription;
    }

    private static string FileSystemOf(string path)
    {
        string full = Path.GetFullPath(path);
        string best = "";
        string type = "?";
        foreach (string line in File.ReadLines("/proc/mounts"))
        {
            string[] fields = line.Split(' ');
            if (fields.Length > 2 && (full == fields[1] || full.StartsWith(fields[1].TrimEnd('/') + "/", StringComparison.Ordinal)) && fields[1].Length > best.Length)
            {
                best = fields[1];
                type = fields[2];
            }
        }

        return $"{type} on {best}";
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static string FirstLine(string fileName, string argument)
    {
        try
        {
            var startInfo = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, ArgumentList = { argument } };
            using var process = Process.Start(startInfo)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            string text = stdout.Result.Trim().Length > 0 ? stdout.Result : stderr.Result;
            return text.Split('\n', 2)[0].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
