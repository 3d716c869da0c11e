namespace KSync.Lab.Api.Spdy;

/// <summary>
/// The receiving side's header decompression of one SPDY connection: a single zlib stream across every header block
/// the peer sends, primed with <see cref="SpdyHeaderBlock.Dictionary"/> when zlib asks for it (the first block names
/// the dictionary's Adler-32). Every block must be fed in wire order, also of frames that are otherwise ignored.
/// Not thread-safe.
/// </summary>
internal sealed unsafe class SpdyHeaderDecompressor : IDisposable
{
    private Zlib.ZStream* _stream;

    /// <summary>Initializes zlib.</summary>
    /// <exception cref="InvalidOperationException">zlib refused (out of memory, wrong library).</exception>
    public SpdyHeaderDecompressor()
    {
        _stream = Zlib.Allocate();
        var code = Zlib.InflateInit(_stream);
        if (code != Zlib.Ok)
        {
            var message = Zlib.Describe(_stream, code);
            Dispose();
            throw new InvalidOperationException($"cannot start SPDY header decompression: {message}");
        }
    }

    /// <summary>Decompresses one header block.</summary>
    /// <param name="compressed">The block as it came in the frame.</param>
    /// <returns>The uncompressed block (<see cref="SpdyHeaderBlock.Decode"/>).</returns>
    /// <exception cref="InvalidDataException">Not a zlib stream, or one made with another dictionary.</exception>
    public byte[] Decompress(ReadOnlySpan<byte> compressed)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        using var output = new MemoryStream();
        var chunk = new byte[Math.Max(256, compressed.Length * 4)];
        fixed (byte* input = compressed)
        fixed (byte* outputChunk = chunk)
        {
            _stream->NextIn = input;
            _stream->AvailableIn = (uint)compressed.Length;
            while (true)
            {
                _stream->NextOut = outputChunk;
                _stream->AvailableOut = (uint)chunk.Length;
                var code = Zlib.Inflate(_stream, Zlib.SyncFlush);
                if (code == Zlib.NeedDictionary)
                {
                    fixed (byte* dictionary = SpdyHeaderBlock.Dictionary)
                    {
                        code = Zlib.InflateSetDictionary(_stream, dictionary, (uint)SpdyHeaderBlock.Dictionary.Length);
                    }

                    if (code != Zlib.Ok)
                    {
                        throw new InvalidDataException($"the peer's header block needs another dictionary than SPDY/3's: {Zlib.Describe(_stream, code)}");
                    }

                    continue;
                }

                if (code is not (Zlib.Ok or Zlib.BufferError))
                {
                    throw new InvalidDataException($"the peer's header block does not decompress: {Zlib.Describe(_stream, code)}");
                }

                output.Write(chunk, 0, chunk.Length - (int)_stream->AvailableOut);
                if (_stream->AvailableOut != 0 || code == Zlib.BufferError)
                {
                    break;
                }
            }

            var left = _stream->AvailableIn;
            _stream->NextIn = null;
            _stream->NextOut = null;
            if (left != 0)
            {
                throw new InvalidDataException($"the peer's header block has {left} bytes after its end");
            }
        }

        return output.ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_stream is null)
        {
            return;
        }

        // Z_DATA_ERROR here only says the stream was not at its end, which a SPDY header stream never is.
        _ = Zlib.InflateEnd(_stream);
        System.Runtime.InteropServices.NativeMemory.Free(_stream);
        _stream = null;
    }
}
