using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace KSync.Plugin.Cluster;

/// <content>One tunnelled connection: open the port-forward, pump both ways, read the error channel.</content>
internal sealed partial class Tunnel
{
    private const int BufferBytes = 64 * 1024;

    private async Task HandleAsync(Socket local, CancellationToken cancellationToken)
    {
        local.NoDelay = true;
        WebSocket? socket = null;
        try
        {
            try
            {
                socket = await _open.ExecuteAsync(
                    async ct =>
                    {
                        var pod = await ResolveAsync(ct);
                        return await _client.WebSocketNamespacedPodPortForwardAsync(pod, _namespace, [RemotePort], Protocol, cancellationToken: ct);
                    },
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var message = $"cannot open a port-forward to {_namespace}/{PodName ?? "?"}:{RemotePort}: {ex.Message}";
                SetError(message);
                Log.OpenFailed(_logger, _namespace, RemotePort, ex.Message);
                RaiseLost(message);
                return;
            }

            Log.Opened(_logger, LocalPort, _namespace, PodName ?? string.Empty, RemotePort);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var up = PumpUpAsync(local, socket, done.Token);
            var down = PumpDownAsync(socket, local, done.Token);
            var first = await Task.WhenAny(up, down);
            await done.CancelAsync();
            await CloseAsync(socket);
            await Task.WhenAll(up, down);

            // Only an end from the pod's side is a loss: the local program closing its connection is normal use.
            if (first == down && await down is { } lost)
            {
                RaiseLost(lost);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            socket?.Dispose();
            try
            {
                local.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }

            local.Dispose();
        }
    }

    private static async Task PumpUpAsync(Socket local, WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes + 1);
        try
        {
            while (true)
            {
                var read = await local.ReceiveAsync(buffer.AsMemory(1, BufferBytes), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                // Data for port index 0 goes on channel 0 (v4.channel.k8s.io), one message per read.
                buffer[0] = 0;
                await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Pumps pod → local until either side ends.</summary>
    /// <returns>Why the port-forward ended from the pod's side (closed, broken, or an error on channel 1), or null when the local side ended or the pump was cancelled.</returns>
    private async Task<string?> PumpDownAsync(WebSocket socket, Socket local, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        var prefixSeen = new bool[2];
        var error = new StringBuilder();
        int? channel = null;
        var skip = 0;
        var where = $"the port-forward to {_namespace}/{PodName ?? "?"}:{RemotePort}";
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                }
                catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
                {
                    return $"{where} broke: {ex.Message}";
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return $"{where} was closed";
                }

                var offset = 0;
                if (channel is null)
                {
                    if (result.Count == 0)
                    {
                        continue;
                    }

                    channel = buffer[0];
                    offset = 1;
                    if (channel.Value < 2 && !prefixSeen[channel.Value])
                    {
                        // The server's first frame on each channel is the port number (2 bytes, little-endian).
                        prefixSeen[channel.Value] = true;
                        skip = 2;
                    }
                }

                var take = Math.Min(skip, result.Count - offset);
                skip -= take;
                offset += take;
                var payload = buffer.AsMemory(offset, result.Count - offset);
                if (channel == 0 && payload.Length > 0)
                {
                    await local.SendAsync(payload, SocketFlags.None, cancellationToken);
                }
                else if (channel == 1 && payload.Length > 0)
                {
                    error.Append(Encoding.UTF8.GetString(payload.Span));
                }

                if (result.EndOfMessage)
                {
                    channel = null;
                    if (error.Length > 0)
                    {
                        var message = error.ToString();
                        SetError(message);
                        Log.RemoteError(_logger, _namespace, PodName ?? string.Empty, RemotePort, message);
                        return $"{where} reported: {message}";
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Cancelled, or the local side went away while data came down.
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }
}
