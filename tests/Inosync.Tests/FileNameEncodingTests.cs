using System.Text;

namespace Inosync.Tests;

public sealed class FileNameEncodingTests
{
    public static TheoryData<byte[]> Names => new()
    {
        "plain"u8.ToArray(),
        "caf\u00e9 \u65e5\u672c \U0001F389"u8.ToArray(),
        // (C# "\xNN" is a character, not a byte: raw bytes are written as numbers.)
        (byte[])[.. "caf"u8, 0xE9],                // Latin-1
        (byte[])[.. "bad"u8, 0xFF, 0xFE],
        (byte[])[0xC3, .. "("u8],                  // a lead byte followed by ASCII
        (byte[])[0xED, 0xA0, 0x80, .. " cesu"u8],  // an encoded surrogate, which UTF-8 forbids
        (byte[])[0xE6, 0x97],                      // a truncated sequence at the end
        "new\nline\t"u8.ToArray(),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_byte_name_round_trips(byte[] name)
    {
        string text = FileNameEncoding.GetString(name);

        FileNameEncoding.GetBytes(text).Should().Equal(name);
        FileNameEncoding.GetByteCount(text).Should().Be(name.Length);
        FileNameEncoding.GetNullTerminatedBytes(text).Should().Equal([.. name, 0]);
    }

    [Fact]
    public void Valid_utf8_decodes_as_usual_and_invalid_bytes_become_lone_surrogates()
    {
        FileNameEncoding.GetString("caf\u00e9"u8).Should().Be("caf\u00e9");
        FileNameEncoding.GetString([.. "caf"u8, 0xE9]).Should().Be("caf\udce9");
        FileNameEncoding.IsEscapedByte('\udce9').Should().BeTrue();
        FileNameEncoding.EscapedByte('\udce9').Should().Be(0xe9);
        FileNameEncoding.IsEscapedByte('\u00e9').Should().BeFalse();
    }

    [Fact]
    public void Names_that_differ_in_bytes_stay_different()
    {
        // NFC and NFD spellings, and a Latin-1 byte versus its UTF-8 form: four different files on Linux.
        string[] names =
        [
            FileNameEncoding.GetString([.. "caf"u8, 0xC3, 0xA9]), FileNameEncoding.GetString([.. "cafe"u8, 0xCC, 0x81]),
            FileNameEncoding.GetString([.. "caf"u8, 0xE9]), FileNameEncoding.GetString([.. "caf"u8, 0xEF, 0xBF, 0xBD]),
        ];

        names.Distinct(StringComparer.Ordinal).Should().HaveCount(4);
    }

    [Fact]
    public void Other_strings_encode_as_utf8()
    {
        FileNameEncoding.GetBytes("\u65e5\u672c\u8a9e").Should().Equal(Encoding.UTF8.GetBytes("\u65e5\u672c\u8a9e"));

        // A lone surrogate no name decodes to is written as U+FFFD, as Encoding.UTF8 does.
        FileNameEncoding.GetBytes("a\ud800b").Should().Equal(Encoding.UTF8.GetBytes("a\ud800b"));
    }
}
