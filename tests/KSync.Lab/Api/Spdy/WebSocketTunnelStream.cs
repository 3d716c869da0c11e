using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace KSync.Lab.Api.Spdy;

/// <summary>
/// A WebSocket as the byte stream under a <see cref="SpdyConnection"/> (KEP-4006, "SPDY over WebSockets": subprotocol
/// <c>SPDY/3.1+portforward.k8s.io</c>): SPDY bytes travel in binary messages whose boundaries mean nothing, as
/// client-go's TunnelingConnection reads and writes them; a close message is the end of the stream. Owns the socket.
/// </summary>
internal sealed class WebSocketTunnelStream : Stream
{
    // RFC 6455, 4.2.2: the GUID appended to Sec-WebSocket-Key before hashing.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly WebSocket _socket;
    private bool _ended;

    private WebSocketTunnelStream(WebSocket socket) => _socket = socket;

    /// <summary>
    /// Answers a WebSocket handshake with <paramref name="subProtocol"/> and wraps the socket. The handshake is done
    /// here, not by ASP.NET's WebSocket middleware, because that refuses a subprotocol with '/' (not an RFC 7230
    /// token), which is exactly what Kubernetes tunnels use.
    /// </summary>
    /// <param name="context">A WebSocket upgrade request (HTTP/1.1).</param>
    /// <param name="subProtocol">The subprotocol to answer, one the client offered.</param>
    /// <returns>The stream over the accepted socket.</returns>
    /// <exception cref="ApiException">Not an HTTP/1.1 WebSocket upgrade (400).</exception>
    public static async Task<WebSocketTunnelStream> AcceptAsync(HttpContext context, string subProtocol)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            throw ApiException.BadRequest("a SPDY tunnel needs an HTTP/1.1 WebSocket upgrade with Sec-WebSocket-Key");
        }

        context.Response.Headers.Upgrade = "websocket";
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the accept value; it protects nothing.
        context.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
        context.Response.Headers["Sec-WebSocket-Protocol"] = subProtocol;
        var opaque = await upgrade.UpgradeAsync();
        return new WebSocketTunnelStream(WebSocket.CreateFromStream(opaque, new WebSocketCreationOptions { IsServer = true }));
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!_ended)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    _ended = true;
                    break;
                case WebSocketMessageType.Text:
                    throw new IOException("a text message in a SPDY tunnel (binary messages only)");
                case WebSocketMessageType.Binary when result.Count > 0 || buffer.Length == 0:
                    return result.Count;
            }
        }

        return 0;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => _socket.SendAsync(buffer, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous reads only");

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous writes only");

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket.Abort();
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
