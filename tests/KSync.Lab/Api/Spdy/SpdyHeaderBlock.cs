using System.Buffers.Binary;
using System.Text;

namespace KSync.Lab.Api.Spdy;

/// <summary>
/// SPDY/3 name/value header blocks (draft-mbelshe-httpbis-spdy-00, 2.6.10): a 32-bit count, then per pair a 32-bit
/// length and the lower-case name, a 32-bit length and the value (several values joined by NUL), all big-endian;
/// on the wire compressed with zlib and <see cref="Dictionary"/> (2.6.10.1).
/// </summary>
internal static class SpdyHeaderBlock
{
    // 2.6.10.1: the dictionary is these strings, each behind its 32-bit big-endian length, then the tail verbatim.
    private static readonly string[] s_dictionaryWords =
    [
        "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding",
        "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control", "connection",
        "content-base", "content-encoding", "content-language", "content-length", "content-location", "content-md5",
        "content-range", "content-type", "date", "etag", "expect", "expires", "from", "host", "if-match",
        "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location",
        "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after",
        "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
        "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public",
        "set-cookie", "keep-alive", "origin",
    ];

    private const string DictionaryTail =
        "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
        + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
        + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
        + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
        + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
        + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

    /// <summary>Gets the zlib dictionary of SPDY/3 header compression (1,423 bytes, Adler-32 0xE3C6A7C2).</summary>
    public static byte[] Dictionary { get; } = BuildDictionary();

    /// <summary>Encodes headers as an uncompressed block; names are written lower-case.</summary>
    /// <param name="headers">Name → value (several values NUL-joined).</param>
    /// <returns>The block.</returns>
    public static byte[] Encode(IReadOnlyDictionary<string, string> headers)
    {
        using var block = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)headers.Count);
        block.Write(length);
        foreach (var (name, value) in headers)
        {
            foreach (var text in new[] { name.ToLowerInvariant(), value })
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
                block.Write(length);
                block.Write(bytes);
            }
        }

        return block.ToArray();
    }

    /// <summary>Decodes an uncompressed block.</summary>
    /// <param name="block">The block.</param>
    /// <returns>Name → value, names compared case-insensitively (as Go's http.Header does); a repeated name keeps its first value.</returns>
    /// <exception cref="InvalidDataException">The block is cut short.</exception>
    public static Dictionary<string, string> Decode(ReadOnlySpan<byte> block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var count = ReadLength(ref block);
        for (var i = 0; i < count; i++)
        {
            var name = Encoding.UTF8.GetString(Take(ref block, ReadLength(ref block)));
            var value = Encoding.UTF8.GetString(Take(ref block, ReadLength(ref block)));
            headers.TryAdd(name, value);
        }

        return headers;
    }

    private static int ReadLength(ref ReadOnlySpan<byte> block)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(Take(ref block, 4));
        return length <= int.MaxValue ? (int)length : throw new InvalidDataException($"header block length {length} is too large");
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> block, int count)
    {
        if (block.Length < count)
        {
            throw new InvalidDataException($"the header block ends early: {count} bytes wanted, {block.Length} left");
        }

        var taken = block[..count];
        block = block[count..];
        return taken;
    }

    private static byte[] BuildDictionary()
    {
        using var dictionary = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var word in s_dictionaryWords)
        {
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)word.Length);
            dictionary.Write(length);
            dictionary.Write(Encoding.ASCII.GetBytes(word));
        }

        dictionary.Write(Encoding.ASCII.GetBytes(DictionaryTail));
        return dictionary.ToArray();
    }
}
