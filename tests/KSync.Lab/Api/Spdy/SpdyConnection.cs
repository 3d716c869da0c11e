using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace KSync.Lab.Api.Spdy;

/// <summary>
/// The server side of a SPDY/3.1 connection over any byte stream (an upgraded HTTP/1.1 connection, or a WebSocket
/// carrying SPDY), as the kubelet's streaming server runs it through spdystream: the client opens streams with
/// SYN_STREAM and gets SYN_REPLY or RST_STREAM(CANCEL); DATA frames go both ways and end with FIN; client PINGs are
/// echoed; GOAWAY or the end of the byte stream ends it. Frames: draft-mbelshe-httpbis-spdy-00 (SPDY/3) section 2;
/// SPDY/3.1's additions (session flow control) are not used by spdystream, so WINDOW_UPDATE and SETTINGS are ignored
/// and nothing here limits what is in flight beyond TCP itself.
/// </summary>
internal sealed class SpdyConnection : IAsyncDisposable
{
    /// <summary>The control frame version this server reads and writes.</summary>
    public const int Version = 3;

    private const int FrameHeaderBytes = 8;

    private readonly Stream _transport;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SpdyHeaderCompressor _compressor = new();
    private readonly SpdyHeaderDecompressor _decompressor = new();
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();
    private uint _lastStreamId;
    private bool _disposed;

    /// <summary>Creates the connection; <see cref="RunAsync"/> serves it.</summary>
    /// <param name="transport">The upgraded byte stream (read by one reader, written under a lock).</param>
    public SpdyConnection(Stream transport) => _transport = transport;

    /// <summary>Reads frames until the client sends GOAWAY, the byte stream ends, or the token is cancelled.</summary>
    /// <param name="validate">Checks a new stream's headers: null accepts it (SYN_REPLY), a reason rejects it (RST_STREAM CANCEL; the caller logs the reason).</param>
    /// <param name="accepted">Called with each accepted stream after its SYN_REPLY went out; must not block.</param>
    /// <param name="cancellationToken">Ends the connection.</param>
    /// <returns>A task that completes when the connection is over; every stream is aborted by then.</returns>
    /// <exception cref="InvalidDataException">The client broke the framing or its header compression.</exception>
    public async Task RunAsync(Func<SpdyStream, string?> validate, Action<SpdyStream> accepted, CancellationToken cancellationToken)
    {
        var header = new byte[FrameHeaderBytes];
        try
        {
            while (await ReadFrameHeaderAsync(header, cancellationToken))
            {
                var flags = header[4];
                var payload = new byte[(header[5] << 16) | (header[6] << 8) | header[7]];
                await _transport.ReadExactlyAsync(payload, cancellationToken);
                if ((header[0] & 0x80) == 0)
                {
                    await OnDataAsync(BinaryPrimitives.ReadUInt32BigEndian(header) & 0x7fffffff, flags, payload, cancellationToken);
                    continue;
                }

                switch ((SpdyFrameType)BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)))
                {
                    case SpdyFrameType.SynStream:
                        await OnSynStreamAsync(flags, payload, validate, accepted, cancellationToken);
                        break;
                    case SpdyFrameType.RstStream when payload.Length >= 4:
                        if (_streams.TryRemove(StreamId(payload), out var reset))
                        {
                            reset.Abort();
                        }

                        break;
                    case SpdyFrameType.Ping when payload.Length == 4 && (BinaryPrimitives.ReadUInt32BigEndian(payload) & 1) == 1:
                        // A client ping (odd ID, spdystream's client side): echo it as is.
                        await WriteFrameAsync(SpdyFrameType.Ping, 0, payload, cancellationToken);
                        break;
                    case SpdyFrameType.GoAway:
                        return;
                    case SpdyFrameType.Headers when payload.Length >= 4:
                        // Unused by port-forward, but its block is part of the compression stream.
                        _decompressor.Decompress(payload.AsSpan(4));
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var stream in _streams.Values)
            {
                stream.Abort();
            }

            _streams.Clear();
        }
    }

    /// <summary>Gets the number of streams the connection still delivers to (accepted, neither reset nor disposed).</summary>
    public int OpenStreams => _streams.Count;

    /// <summary>Writes one DATA frame.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="data">The payload (at most 16 MB − 1).</param>
    /// <param name="fin">Whether this ends the sender's direction.</param>
    /// <param name="cancellationToken">Cancels the write (the connection is unusable after a cancelled write).</param>
    /// <returns>A task that completes when the frame is written.</returns>
    public async Task WriteDataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        var frame = ArrayPool<byte>.Shared.Rent(FrameHeaderBytes + data.Length);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame, streamId & 0x7fffffff);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), ((fin ? 1u : 0u) << 24) | (uint)data.Length);
            data.CopyTo(frame.AsMemory(FrameHeaderBytes));
            await WriteLockedAsync(frame.AsMemory(0, FrameHeaderBytes + data.Length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _compressor.Dispose();
            _decompressor.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Drops a disposed stream: a long-lived connection (one kubectl port-forward) opens two per local connection.</summary>
    /// <param name="id">The stream ID.</param>
    internal void Forget(uint id) => _streams.TryRemove(id, out _);

    private static uint StreamId(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff;

    private async Task<bool> ReadFrameHeaderAsync(byte[] header, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < header.Length)
        {
            var n = await _transport.ReadAsync(header.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return read == 0 ? false : throw new EndOfStreamException("the connection ended inside a frame header");
            }

            read += n;
        }

        return true;
    }

    private async Task OnDataAsync(uint streamId, byte flags, byte[] payload, CancellationToken cancellationToken)
    {
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            // Unknown, reset or rejected: dropped, as spdystream does.
            return;
        }

        if (payload.Length > 0)
        {
            await stream.DeliverAsync(payload, cancellationToken);
        }

        if ((flags & 1) != 0)
        {
            stream.RemoteFinished();
        }
    }

    private async Task OnSynStreamAsync(byte flags, byte[] payload, Func<SpdyStream, string?> validate, Action<SpdyStream> accepted, CancellationToken cancellationToken)
    {
        // Stream ID, associated stream ID, priority (3 bits) and slot, then the compressed header block; the block is
        // decompressed before anything else, so the compression stream stays in step even for a refused stream.
        if (payload.Length < 10)
        {
            throw new InvalidDataException($"SYN_STREAM of {payload.Length} bytes is too short");
        }

        var id = StreamId(payload);
        var headers = SpdyHeaderBlock.Decode(_decompressor.Decompress(payload.AsSpan(10)));
        if (id % 2 == 0 || id <= _lastStreamId)
        {
            await WriteResetAsync(id, SpdyStatus.ProtocolError, cancellationToken);
            return;
        }

        _lastStreamId = id;
        var stream = new SpdyStream(this, id, headers);
        if (validate(stream) is not null)
        {
            await WriteResetAsync(id, SpdyStatus.Cancel, cancellationToken);
            return;
        }

        _streams[id] = stream;
        if ((flags & 1) != 0)
        {
            stream.RemoteFinished();
        }

        var reply = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(reply, id);
        await WriteFrameAsync(SpdyFrameType.SynReply, 0, reply, cancellationToken, headerBlock: SpdyHeaderBlock.Encode(new Dictionary<string, string>()));
        accepted(stream);
    }

    private Task WriteResetAsync(uint id, SpdyStatus status, CancellationToken cancellationToken)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(payload, id);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), (uint)status);
        return WriteFrameAsync(SpdyFrameType.RstStream, 0, payload, cancellationToken);
    }

    private async Task WriteFrameAsync(SpdyFrameType type, byte flags, byte[] fixedPart, CancellationToken cancellationToken, byte[]? headerBlock = null)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Compressed under the write lock: blocks must reach the peer in the order they went through zlib.
            var block = headerBlock is null ? [] : _compressor.Compress(headerBlock);
            var frame = new byte[FrameHeaderBytes + fixedPart.Length + block.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8000 | Version);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)type);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), ((uint)flags << 24) | (uint)(fixedPart.Length + block.Length));
            fixedPart.CopyTo(frame, FrameHeaderBytes);
            block.CopyTo(frame, FrameHeaderBytes + fixedPart.Length);
            await _transport.WriteAsync(frame, cancellationToken);
            await _transport.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteLockedAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await _transport.WriteAsync(frame, cancellationToken);
            await _transport.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
