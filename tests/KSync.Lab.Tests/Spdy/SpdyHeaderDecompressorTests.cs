using KSync.Lab.Api.Spdy;

namespace KSync.Lab.Tests.Spdy;

/// <summary>Header decompression against blocks another zlib made (CPython's, with the SPDY/3 dictionary as zdict).</summary>
public sealed class SpdyHeaderDecompressorTests
{
    // zlib.compressobj(9, zdict=<SPDY/3 dictionary>), two blocks of one stream, each ended with Z_SYNC_FLUSH:
    // {streamtype: error, port: 7000, requestid: 0}, then {streamtype: data, port: 7000, requestid: 0}.
    private static readonly byte[] s_first = Convert.FromHexString("78f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c606e606000a4398b20d198094ade8c0600000000ffff");
    private static readonly byte[] s_second = Convert.FromHexString("c2aa19540e2512d60b000000ffff");

    [Fact]
    public void Decompress_BlocksOfOneStream_InOrder()
    {
        using var decompressor = new SpdyHeaderDecompressor();

        var first = SpdyHeaderBlock.Decode(decompressor.Decompress(s_first));
        var second = SpdyHeaderBlock.Decode(decompressor.Decompress(s_second));

        Assert.Equal(("error", "7000", "0"), (first["streamType"], first["port"], first["requestID"]));
        Assert.Equal(("data", "7000", "0"), (second["streamType"], second["port"], second["requestID"]));
    }

    [Fact]
    public void Decompress_TheSecondBlockAlone_FailsBecauseItReferencesTheFirst()
    {
        using var decompressor = new SpdyHeaderDecompressor();

        Assert.Throws<InvalidDataException>(() => decompressor.Decompress(s_second));
    }

    [Fact]
    public void Decompress_AStreamWithAnotherDictionary_NamesTheDictionary()
    {
        using var decompressor = new SpdyHeaderDecompressor();
        var otherDictionary = (byte[])s_first.Clone();
        otherDictionary[5] ^= 0xff;

        var ex = Assert.Throws<InvalidDataException>(() => decompressor.Decompress(otherDictionary));
        Assert.Contains("dictionary", ex.Message, StringComparison.Ordinal);
    }
}
