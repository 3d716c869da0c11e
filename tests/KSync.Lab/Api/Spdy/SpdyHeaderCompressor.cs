namespace KSync.Lab.Api.Spdy;

/// <summary>
/// The sending side's header compression of one SPDY connection: a single zlib stream primed with
/// <see cref="SpdyHeaderBlock.Dictionary"/>, each block ended with a sync flush so the peer can decode it at once
/// (draft-mbelshe-httpbis-spdy-00, 2.6.10.1). Blocks must go on the wire in the order they were compressed.
/// Not thread-safe.
/// </summary>
internal sealed unsafe class SpdyHeaderCompressor : IDisposable
{
    private Zlib.ZStream* _stream;

    /// <summary>Initializes zlib with the dictionary.</summary>
    /// <exception cref="InvalidOperationException">zlib refused (out of memory, wrong library).</exception>
    public SpdyHeaderCompressor()
    {
        _stream = Zlib.Allocate();
        var code = Zlib.DeflateInit(_stream, 9);
        if (code == Zlib.Ok)
        {
            fixed (byte* dictionary = SpdyHeaderBlock.Dictionary)
            {
                code = Zlib.DeflateSetDictionary(_stream, dictionary, (uint)SpdyHeaderBlock.Dictionary.Length);
            }
        }

        if (code != Zlib.Ok)
        {
            var message = Zlib.Describe(_stream, code);
            Dispose();
            throw new InvalidOperationException($"cannot start SPDY header compression: {message}");
        }
    }

    /// <summary>Compresses one header block.</summary>
    /// <param name="block">The uncompressed block (<see cref="SpdyHeaderBlock.Encode"/>).</param>
    /// <returns>The compressed bytes, ending with a sync flush.</returns>
    /// <exception cref="InvalidOperationException">zlib failed.</exception>
    public byte[] Compress(ReadOnlySpan<byte> block)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        using var output = new MemoryStream();
        var chunk = new byte[block.Length + 64];
        fixed (byte* input = block)
        fixed (byte* outputChunk = chunk)
        {
            _stream->NextIn = input;
            _stream->AvailableIn = (uint)block.Length;
            do
            {
                _stream->NextOut = outputChunk;
                _stream->AvailableOut = (uint)chunk.Length;
                var code = Zlib.Deflate(_stream, Zlib.SyncFlush);
                if (code is not (Zlib.Ok or Zlib.BufferError))
                {
                    throw new InvalidOperationException($"SPDY header compression failed: {Zlib.Describe(_stream, code)}");
                }

                output.Write(chunk, 0, chunk.Length - (int)_stream->AvailableOut);
            }
            while (_stream->AvailableOut == 0);

            _stream->NextIn = null;
            _stream->NextOut = null;
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
        _ = Zlib.DeflateEnd(_stream);
        System.Runtime.InteropServices.NativeMemory.Free(_stream);
        _stream = null;
    }
}
