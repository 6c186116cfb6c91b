using Inosync.Files;
using System.Globalization;
using System.Text.Json;

namespace Inosync.Status;

/// <summary>Reads and writes the status file. A write replaces the file atomically, so a reader never sees half of one.</summary>
public static class StatusFile
{
    /// <summary>The document as the file holds it (indented UTF-8 JSON, ending with a newline).</summary>
    public static byte[] Serialize(StatusDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(document, StatusJsonContext.Default.StatusDocument);
        return [.. json, (byte)'\n'];
    }

    /// <summary>
    /// Writes a temporary file next to <paramref name="path"/> and renames it over it: rename(2) within one
    /// directory is atomic, so a monitoring check reading at any moment gets the old document or the new one. The
    /// temp file never follows a symbolic link (<see cref="SafeFile"/>).
    /// Creates the directory if it is missing (e.g. /run/inosync when not started by systemd).
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory is not writable.</exception>
    public static void Write(string path, StatusDocument document) => WriteAtomically(path, Serialize(document));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> the way <see cref="Write"/> does: atomically, with
    /// <paramref name="mode"/> (default 0640: the status names private paths and node addresses).</summary>
    /// <inheritdoc cref="Write" path="/exception"/>
    public static void WriteAtomically(string path, byte[] bytes, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        SafeFile.WriteAtomically(path, bytes, mode);
    }

    /// <summary>Reads the document at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be read (<see cref="FileNotFoundException"/> when it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    /// <exception cref="InvalidDataException">It is not a status document this version understands.</exception>
    public static StatusDocument Read(string path) => Parse(File.ReadAllBytes(path));

    /// <inheritdoc cref="Read"/>
    public static StatusDocument Parse(ReadOnlySpan<byte> utf8)
    {
        StatusDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8, StatusJsonContext.Default.StatusDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"not an inosync status file: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new InvalidDataException("not an inosync status file: it is JSON null");
        }

        return document.Format > StatusDocument.CurrentFormat
            ? throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"written by inosync {document.Version} in format {document.Format}, which this version (format {StatusDocument.CurrentFormat}) cannot read"))
            : document;
    }
}
