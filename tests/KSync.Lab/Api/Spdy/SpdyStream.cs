using System.Threading.Channels;

namespace KSync.Lab.Api.Spdy;

/// <summary>
/// One stream the peer opened on a <see cref="SpdyConnection"/>: its headers, the data the peer sends (until its FIN or
/// a reset) and the way back (DATA frames, a FIN). Half-closed like TCP: each side ends its direction with FIN;
/// RST_STREAM ends both at once.
/// </summary>
internal sealed class SpdyStream : IDisposable
{
    // Frames the reader has not taken yet; when full the connection's read loop waits (backpressure to the peer).
    private const int InboundFrames = 16;

    private readonly SpdyConnection _connection;
    private readonly Channel<byte[]> _inbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(InboundFrames) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _reset = new();
    private int _finished;

    /// <summary>Creates the stream (the connection does, for each SYN_STREAM).</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="id">The stream ID (odd: the client's).</param>
    /// <param name="headers">Its headers.</param>
    public SpdyStream(SpdyConnection connection, uint id, IReadOnlyDictionary<string, string> headers)
    {
        _connection = connection;
        Id = id;
        Headers = headers;
    }

    /// <summary>Gets the stream ID.</summary>
    public uint Id { get; }

    /// <summary>Gets the headers of its SYN_STREAM (names case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets a token cancelled when the peer resets the stream or the connection ends.</summary>
    public CancellationToken Reset => _reset.Token;

    /// <summary>Reads the next DATA payload from the peer.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The payload, or null once the peer sent FIN, reset the stream or the connection ended.</returns>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        while (await _inbound.Reader.WaitToReadAsync(cancellationToken))
        {
            if (_inbound.Reader.TryRead(out var data))
            {
                return data;
            }
        }

        return null;
    }

    /// <summary>Sends data in one DATA frame; nothing once this side sent FIN or the peer reset the stream.</summary>
    /// <param name="data">Up to 16 MB − 1.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the frame is written.</returns>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        => Volatile.Read(ref _finished) != 0 || _reset.IsCancellationRequested
            ? Task.CompletedTask
            : _connection.WriteDataAsync(Id, data, fin: false, cancellationToken);

    /// <summary>Ends this side's direction: an empty DATA frame with FIN, once.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the frame is written.</returns>
    public Task CloseAsync(CancellationToken cancellationToken)
        => Interlocked.Exchange(ref _finished, 1) != 0 || _reset.IsCancellationRequested
            ? Task.CompletedTask
            : _connection.WriteDataAsync(Id, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);

    /// <summary>Leaves the connection (what the peer still sends on it is dropped) and releases the reset token; call when nothing uses <see cref="Reset"/> any more.</summary>
    public void Dispose()
    {
        _connection.Forget(Id);
        StopReading();
        _reset.Dispose();
    }

    /// <summary>Stops reading: what the peer still sends on this stream is dropped, so it never holds up the connection.</summary>
    public void StopReading()
    {
        _inbound.Writer.TryComplete();
        while (_inbound.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Hands a DATA payload to the reader, waiting while it is <see cref="InboundFrames"/> frames behind.</summary>
    /// <param name="data">The payload.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the payload is queued or dropped.</returns>
    internal async ValueTask DeliverAsync(byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await _inbound.Writer.WriteAsync(data, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // After FIN, a reset or StopReading: spdystream drops such data too.
        }
    }

    /// <summary>The peer sent FIN: the reader gets null after what is queued.</summary>
    internal void RemoteFinished() => _inbound.Writer.TryComplete();

    /// <summary>The peer reset the stream or the connection ended: both directions end now.</summary>
    internal void Abort()
    {
        StopReading();
        try
        {
            _reset.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
