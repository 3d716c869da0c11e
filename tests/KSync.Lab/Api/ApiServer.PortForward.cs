using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace KSync.Lab.Api;

/// <content>
/// Pod port-forward over WebSocket, subprotocol <c>v4.channel.k8s.io</c> (kubelet streaming server, port-forward
/// websocket protocol): for the i-th requested port, channel 2i carries data and 2i+1 errors; the server's first
/// frame on each channel is the port as two little-endian bytes; a connect failure is written as text on the
/// error channel and the socket closed. Requests for SPDY (kubectl) go to <see cref="SpdyPortForwardAsync"/>. The
/// connection behind both comes from <see cref="IPodRuntime"/>.
/// </content>
internal sealed partial class ApiServer
{
    /// <summary>The WebSocket port-forward subprotocol (KubernetesClient and the plugin use it).</summary>
    public const string PortForwardProtocol = "v4.channel.k8s.io";

    private async Task PortForwardAsync(HttpContext context, ResourcePath target)
    {
        var pod = _store.Get(ResourceKind.Pods, target.Namespace, target.Name!) ?? throw ApiException.NotFound(ResourceKind.Pods, target.Name!);
        if ((string?)pod["status"]?["phase"] != "Running")
        {
            throw ApiException.BadRequest($"pod {target.Name} is not running (phase {(string?)pod["status"]?["phase"] ?? "unknown"})");
        }

        if (IsSpdyRequest(context))
        {
            // SPDY streams name their port in a header: the ports query parameter is not used.
            await SpdyPortForwardAsync(context, pod, target.Name!);
            return;
        }

        var ports = context.Request.Query["ports"]
            .SelectMany(p => (p ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                ? port
                : throw ApiException.BadRequest($"invalid port \"{p}\""))
            .ToList();
        if (ports.Count == 0)
        {
            throw ApiException.BadRequest("at least one port must be given in the ports query parameter");
        }

        if (!context.WebSockets.IsWebSocketRequest || !context.WebSockets.WebSocketRequestedProtocols.Contains(PortForwardProtocol))
        {
            throw ApiException.BadRequest($"port-forward needs a WebSocket with the subprotocol {PortForwardProtocol} or {SpdyTunnelPrefix}{PortForwardSpdyProtocol}, or an upgrade to SPDY/3.1");
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = PortForwardProtocol });
        using var sendLock = new SemaphoreSlim(1, 1);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var token = done.Token;
        _forwards[done] = (string?)pod["spec"]?["nodeName"] ?? string.Empty;
        var targets = new Stream?[ports.Count];
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var prefix = new[] { (byte)(ports[i] & 0xff), (byte)(ports[i] >> 8) };
                await SendAsync(socket, sendLock, (byte)(2 * i), prefix, token);
                await SendAsync(socket, sendLock, (byte)((2 * i) + 1), prefix, token);
            }

            for (var i = 0; i < ports.Count; i++)
            {
                try
                {
                    targets[i] = await _pods.ConnectAsync(pod, ports[i], token);
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
                {
                    var message = ForwardErrorMessage(pod, target.Name!, ports[i], ex);
                    Log($"portforward {target.Namespace}/{target.Name}:{ports[i]} failed: {ex.Message}");
                    await SendAsync(socket, sendLock, (byte)((2 * i) + 1), Encoding.UTF8.GetBytes(message), token);
                    await CloseAsync(socket, sendLock);
                    return;
                }
            }

            var pumps = new List<Task>();
            for (var i = 0; i < ports.Count; i++)
            {
                var index = i;
                pumps.Add(Task.Run(() => PumpToClientAsync(socket, sendLock, (byte)(2 * index), targets[index]!, token), token));
            }

            var fromClient = PumpFromClientAsync(socket, targets!, token);
            await Task.WhenAny([fromClient, .. pumps]);
            await done.CancelAsync();
            await CloseAsync(socket, sendLock);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            _forwards.TryRemove(done, out _);
            foreach (var stream in targets)
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync();
                }
            }
        }
    }

    private static async Task PumpToClientAsync(WebSocket socket, SemaphoreSlim sendLock, byte channel, Stream source, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer.AsMemory(1, buffer.Length - 1), token);
                if (read == 0)
                {
                    return;
                }

                buffer[0] = channel;
                await sendLock.WaitAsync(token);
                try
                {
                    await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, token);
                }
                finally
                {
                    sendLock.Release();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task PumpFromClientAsync(WebSocket socket, Stream[] targets, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int? channel = null;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var offset = 0;
                if (channel is null)
                {
                    // A message starts with its channel byte; continuation frames of the same message do not.
                    if (result.Count == 0)
                    {
                        continue;
                    }

                    channel = buffer[0];
                    offset = 1;
                }

                var port = channel.Value / 2;
                if (channel.Value % 2 == 0 && port < targets.Length && result.Count > offset)
                {
                    await targets[port].WriteAsync(buffer.AsMemory(offset, result.Count - offset), token);
                }

                if (result.EndOfMessage)
                {
                    channel = null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, byte channel, byte[] payload, CancellationToken token)
    {
        var frame = new byte[payload.Length + 1];
        frame[0] = channel;
        payload.CopyTo(frame, 1);
        await sendLock.WaitAsync(token);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, token);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private static async Task CloseAsync(WebSocket socket, SemaphoreSlim sendLock)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await sendLock.WaitAsync(timeout.Token);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
            }
            finally
            {
                sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }
}
