using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using KSync.Lab.Api.Spdy;
using KSync.TestKit;

namespace KSync.Lab.Tests.Spdy;

/// <summary>
/// The server side of SPDY/3 on a loopback socket, fed frames written byte by byte from the specification
/// (draft-mbelshe-httpbis-spdy-00, section 2.6); header blocks come from another zlib (CPython's).
/// </summary>
public sealed class SpdyConnectionTests : IAsyncDisposable
{
    // {streamtype: error, port: 7000, requestid: 0}, then {streamtype: data, ...}: one zlib stream, SPDY dictionary.
    private static readonly byte[] s_errorHeaders = Convert.FromHexString("78f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c606e606000a4398b20d198094ade8c0600000000ffff");
    private static readonly byte[] s_dataHeaders = Convert.FromHexString("c2aa19540e2512d60b000000ffff");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<SpdyStream> _accepted = Channel.CreateUnbounded<SpdyStream>();
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private Socket? _server;
    private NetworkStream? _client;
    private SpdyConnection? _connection;
    private Task _run = Task.CompletedTask;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10), Token);
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _client?.Dispose();
        _server?.Dispose();
        _listener.Stop();
        _stop.Dispose();
    }

    [Fact]
    public async Task SynStream_IsRepliedWithACompressedEmptyBlock_AndHandedOver()
    {
        await StartAsync();

        await SendAsync(SynStream(1, s_errorHeaders));

        var reply = await ReadFrameAsync();
        Assert.Equal([0x80, 0x03, 0x00, 0x02, 0x00], reply[..5]);
        Assert.Equal([0, 0, 0, 1], reply[8..12]);

        // The block starts a zlib stream that names the SPDY/3 dictionary (RFC 1950: FDICT set, DICTID).
        Assert.Equal(0x78, reply[12]);
        Assert.Equal(0x20, reply[13] & 0x20);
        Assert.Equal([0xE3, 0xC6, 0xA7, 0xC2], reply[14..18]);
        var stream = await NextAcceptedAsync();
        Assert.Equal(1u, stream.Id);
        Assert.Equal("error", stream.Headers["streamType"]);
    }

    [Fact]
    public async Task Ping_FromTheClient_IsEchoed_ButNotAnEvenOne()
    {
        await StartAsync();

        await SendAsync([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02]);
        await SendAsync([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05]);

        Assert.Equal([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05], await ReadFrameAsync());
    }

    [Fact]
    public async Task Data_GoesBothWays_AndFinEndsEachDirection()
    {
        await StartAsync();
        await SendAsync(SynStream(1, s_errorHeaders));
        await SendAsync(SynStream(3, s_dataHeaders));
        await ReadFrameAsync();
        await ReadFrameAsync();
        await NextAcceptedAsync();
        var data = await NextAcceptedAsync();

        await SendAsync([0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, (byte)'h', (byte)'i']);
        await SendAsync([0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00]);
        Assert.Equal("hi"u8.ToArray(), await data.ReadAsync(Token));
        Assert.Null(await data.ReadAsync(Token));

        await data.WriteAsync("ok"u8.ToArray(), Token);
        await data.CloseAsync(Token);
        await data.WriteAsync("late"u8.ToArray(), Token);
        Assert.Equal([0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, (byte)'o', (byte)'k'], await ReadFrameAsync());
        Assert.Equal([0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00], await ReadFrameAsync());
    }

    [Fact]
    public async Task Dispose_LeavesTheConnection_WhichDropsLaterDataForIt()
    {
        await StartAsync();
        await SendAsync(SynStream(1, s_errorHeaders));
        await SendAsync(SynStream(3, s_dataHeaders));
        await ReadFrameAsync();
        await ReadFrameAsync();
        var error = await NextAcceptedAsync();
        var data = await NextAcceptedAsync();
        Assert.Equal(2, _connection!.OpenStreams);

        error.Dispose();
        await SendAsync([0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, (byte)'x']);
        await SendAsync([0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)'y']);

        Assert.Equal("y"u8.ToArray(), await data.ReadAsync(Token));
        Assert.Equal(1, _connection.OpenStreams);
        data.Dispose();
        Assert.Equal(0, _connection.OpenStreams);
    }

    [Fact]
    public async Task RstStream_CancelsTheStream()
    {
        await StartAsync();
        await SendAsync(SynStream(1, s_errorHeaders));
        await ReadFrameAsync();
        var stream = await NextAcceptedAsync();

        await SendAsync([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05]);

        await Eventually.TrueAsync(() => stream.Reset.IsCancellationRequested, TimeSpan.FromSeconds(10), "the reset to arrive");
        Assert.Null(await stream.ReadAsync(Token));
    }

    [Fact]
    public async Task SynStream_WithAnEvenOrRepeatedId_IsResetAsProtocolError()
    {
        await StartAsync();

        await SendAsync(SynStream(2, s_errorHeaders));

        Assert.Equal([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01], await ReadFrameAsync());
        Assert.False(_accepted.Reader.TryPeek(out _));

        // The refused stream's block still went through zlib: the next block, which refers back to it, decodes.
        await SendAsync(SynStream(3, s_dataHeaders));
        await ReadFrameAsync();
        var accepted = await NextAcceptedAsync();
        Assert.Equal((3u, "data"), (accepted.Id, accepted.Headers["streamType"]));
    }

    [Fact]
    public async Task SynStream_TheHandlerRejects_IsResetAsCancel()
    {
        await StartAsync(validate: s => s.Headers["streamType"] == "error" ? "no error streams here" : null);

        await SendAsync(SynStream(1, s_errorHeaders));

        Assert.Equal([0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05], await ReadFrameAsync());
        Assert.False(_accepted.Reader.TryPeek(out _));
    }

    [Fact]
    public async Task GoAway_EndsTheConnection_AndAbortsItsStreams()
    {
        await StartAsync();
        await SendAsync(SynStream(1, s_errorHeaders));
        await ReadFrameAsync();
        var stream = await NextAcceptedAsync();

        await SendAsync([0x80, 0x03, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);

        await _run.WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.True(stream.Reset.IsCancellationRequested);
    }

    private static byte[] SynStream(uint id, byte[] block)
    {
        var length = 10 + block.Length;
        return
        [
            0x80, 0x03, 0x00, 0x01, 0x00, (byte)(length >> 16), (byte)(length >> 8), (byte)length,
            (byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id,
            0, 0, 0, 0, 0, 0,
            .. block,
        ];
    }

    private async Task StartAsync(Func<SpdyStream, string?>? validate = null)
    {
        _listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)_listener.LocalEndpoint, Token);
        _client = client.GetStream();
        _server = await _listener.AcceptSocketAsync(Token);
        _connection = new SpdyConnection(new NetworkStream(_server));
        _run = _connection.RunAsync(validate ?? (_ => null), s => _accepted.Writer.TryWrite(s), _stop.Token);
    }

    private async Task<SpdyStream> NextAcceptedAsync()
        => await _accepted.Reader.ReadAsync(Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Token);

    private Task SendAsync(byte[] frame) => _client!.WriteAsync(frame, Token).AsTask();

    private async Task<byte[]> ReadFrameAsync()
    {
        var header = new byte[8];
        await _client!.ReadExactlyAsync(header, Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Token);
        var payload = new byte[(header[5] << 16) | (header[6] << 8) | header[7]];
        await _client.ReadExactlyAsync(payload, Token);
        return [.. header, .. payload];
    }
}
