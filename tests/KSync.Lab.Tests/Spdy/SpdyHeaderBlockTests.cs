using KSync.Lab.Api.Spdy;

namespace KSync.Lab.Tests.Spdy;

/// <summary>SPDY/3 header blocks and the compression dictionary, against the specification's figures.</summary>
public sealed class SpdyHeaderBlockTests
{
    [Fact]
    public void Dictionary_HasTheLengthAndAdler32EveryPeerChecks()
    {
        // A zlib stream made with a preset dictionary names it by Adler-32 (RFC 1950, DICTID); spdystream's and
        // Chromium's SPDY/3 streams start 78 F9 E3 C6 A7 C2.
        Assert.Equal(1423, SpdyHeaderBlock.Dictionary.Length);
        Assert.Equal(0xE3C6A7C2u, Adler32(SpdyHeaderBlock.Dictionary));
    }

    [Fact]
    public void Encode_WritesCountLengthsAndLowerCaseNames()
    {
        var block = SpdyHeaderBlock.Encode(new Dictionary<string, string> { ["Port"] = "7000" });

        Assert.Equal(
            [0, 0, 0, 1, 0, 0, 0, 4, (byte)'p', (byte)'o', (byte)'r', (byte)'t', 0, 0, 0, 4, (byte)'7', (byte)'0', (byte)'0', (byte)'0'],
            block);
    }

    [Fact]
    public void Decode_ReadsPairsCaseInsensitively()
    {
        byte[] block = [0, 0, 0, 2, 0, 0, 0, 4, (byte)'p', (byte)'o', (byte)'r', (byte)'t', 0, 0, 0, 2, (byte)'8', (byte)'0', 0, 0, 0, 1, (byte)'x', 0, 0, 0, 0];

        var headers = SpdyHeaderBlock.Decode(block);

        Assert.Equal("80", headers["Port"]);
        Assert.Equal(string.Empty, headers["x"]);
        Assert.Equal(2, headers.Count);
    }

    [Fact]
    public void Decode_ACutBlock_Throws()
    {
        byte[] block = [0, 0, 0, 1, 0, 0, 0, 9, (byte)'p'];

        var ex = Assert.Throws<InvalidDataException>(() => SpdyHeaderBlock.Decode(block));
        Assert.Contains("ends early", ex.Message, StringComparison.Ordinal);
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
