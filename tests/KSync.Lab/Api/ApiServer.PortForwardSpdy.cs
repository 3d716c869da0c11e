using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using KSync.Lab.Api.Spdy;
using Microsoft.AspNetCore.Http.Features;

namespace KSync.Lab.Api;

/// <content>
/// Pod port-forward over SPDY/3.1, what kubectl port-forward speaks, in its two forms: an HTTP/1.1 upgrade to
/// <c>SPDY/3.1</c> with <c>X-Stream-Protocol-Version: portforward.k8s.io</c>, or — kubectl 1.31+ tries it first —
/// a WebSocket with subprotocol <c>SPDY/3.1+portforward.k8s.io</c> carrying the same SPDY bytes (KEP-4006, the API
/// server's stream tunnel). Inside, the kubelet's httpstream port-forward: every local connection is an error stream
/// and a data stream with the same <c>requestID</c>; once both are there the pod port is dialled; a failure is
/// written as text on the error stream; the kubelet closes the error stream, then the data stream, when forwarding ends.
/// </content>
internal sealed partial class ApiServer
{
    /// <summary>The port-forward protocol version of the SPDY forms.</summary>
    public const string PortForwardSpdyProtocol = "portforward.k8s.io";

    /// <summary>The WebSocket subprotocol prefix of SPDY tunnelled through a WebSocket (KEP-4006).</summary>
    public const string SpdyTunnelPrefix = "SPDY/3.1+";

    private const string SpdyUpgrade = "SPDY/3.1";
    private const string ProtocolVersionHeader = "X-Stream-Protocol-Version";

    // The kubelet's default streamCreationTimeout: how long the first stream of a pair waits for the second.
    private static readonly TimeSpan s_streamPairTimeout = TimeSpan.FromSeconds(30);

    // When one direction ends, the other gets this long to finish (containerd's port forwarder waits 1 s).
    private static readonly TimeSpan s_otherDirectionGrace = TimeSpan.FromSeconds(1);

    private static bool IsSpdyRequest(HttpContext context)
        => context.WebSockets.IsWebSocketRequest
            ? context.WebSockets.WebSocketRequestedProtocols.Any(p => p.StartsWith(SpdyTunnelPrefix, StringComparison.Ordinal))
            : context.Request.Headers.Upgrade.Any(u => u?.Contains(SpdyUpgrade, StringComparison.OrdinalIgnoreCase) == true);

    private async Task SpdyPortForwardAsync(HttpContext context, JsonObject pod, string podName)
    {
        var tunnelled = context.WebSockets.IsWebSocketRequest;
        Stream transport;
        if (tunnelled)
        {
            var offered = context.WebSockets.WebSocketRequestedProtocols.Where(p => p.StartsWith(SpdyTunnelPrefix, StringComparison.Ordinal)).Select(p => p[SpdyTunnelPrefix.Length..]).ToList();
            CheckProtocol(context, offered);
            transport = await WebSocketTunnelStream.AcceptAsync(context, SpdyTunnelPrefix + PortForwardSpdyProtocol);
        }
        else
        {
            var offered = context.Request.Headers[ProtocolVersionHeader].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
            CheckProtocol(context, offered);
            var upgrade = context.Features.Get<IHttpUpgradeFeature>();
            if (upgrade is not { IsUpgradableRequest: true })
            {
                throw ApiException.BadRequest("unable to upgrade: missing upgrade headers in request");
            }

            context.Response.Headers[ProtocolVersionHeader] = PortForwardSpdyProtocol;
            context.Response.Headers.Upgrade = SpdyUpgrade;
            transport = await upgrade.UpgradeAsync();
        }

        Log($"portforward {ObjectStore.NamespaceOf(pod)}/{podName} over {(tunnelled ? SpdyTunnelPrefix + PortForwardSpdyProtocol : SpdyUpgrade)}");
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        _forwards[done] = (string?)pod["spec"]?["nodeName"] ?? string.Empty;
        var pairs = new Dictionary<string, PortForwardStreamPair<SpdyStream>>();
        var forwards = new List<Task>();
        var connection = new SpdyConnection(transport);
        try
        {
            await connection.RunAsync(
                stream =>
                {
                    var reason = PortForwardHeaders.Validate(stream.Headers);
                    if (reason is not null)
                    {
                        Log($"portforward {podName}: stream {stream.Id} rejected: {reason}");
                    }

                    return reason;
                },
                stream =>
                {
                    var task = OnPortForwardStream(stream, pairs, pod, podName, done.Token);
                    lock (forwards)
                    {
                        forwards.Add(task);
                    }
                },
                done.Token);
        }
        catch (InvalidDataException ex)
        {
            Log($"portforward {podName}: the client broke the SPDY protocol: {ex.Message}");
        }

        finally
        {
            _forwards.TryRemove(done, out _);
            await done.CancelAsync();
            Task[] pending;
            lock (forwards)
            {
                pending = [.. forwards];
            }

            await Task.WhenAll(pending);
            await connection.DisposeAsync();
            await transport.DisposeAsync();
        }
    }

    private static void CheckProtocol(HttpContext context, List<string> offered)
    {
        // The negotiation of apimachinery's httpstream.Handshake: the client's list, the server's one version.
        if (offered.Count == 0)
        {
            throw ApiException.BadRequest($"unable to upgrade: {ProtocolVersionHeader} is required");
        }

        if (!offered.Contains(PortForwardSpdyProtocol))
        {
            context.Response.Headers["X-Accepted-Stream-Protocol-Versions"] = PortForwardSpdyProtocol;
            throw new ApiException(403, "Forbidden", $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], server accepts [{PortForwardSpdyProtocol}]");
        }
    }

    private Task OnPortForwardStream(SpdyStream stream, Dictionary<string, PortForwardStreamPair<SpdyStream>> pairs, JsonObject pod, string podName, CancellationToken cancellationToken)
    {
        var requestId = PortForwardHeaders.RequestIdOf(stream.Headers, stream.Id);
        PortForwardStreamPair<SpdyStream> pair;
        string? error;
        bool created;
        lock (pairs)
        {
            created = !pairs.TryGetValue(requestId, out pair!);
            if (created)
            {
                pair = new PortForwardStreamPair<SpdyStream>(requestId);
                pairs[requestId] = pair;
            }

            error = pair.Add(stream.Headers[PortForwardHeaders.StreamType], stream);
        }

        if (error is not null)
        {
            Log($"portforward {podName}: {error}");
            return WriteErrorAsync(pair.Error, error, cancellationToken);
        }

        if (pair.IsComplete)
        {
            return ForwardAsync(pair, pairs, pod, podName, cancellationToken);
        }

        return created ? ExpireAsync(pair, pairs, podName, cancellationToken) : Task.CompletedTask;
    }

    private async Task ExpireAsync(PortForwardStreamPair<SpdyStream> pair, Dictionary<string, PortForwardStreamPair<SpdyStream>> pairs, string podName, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(s_streamPairTimeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (pairs)
        {
            if (pair.IsComplete || !pairs.Remove(pair.RequestId))
            {
                return;
            }
        }

        var message = $"(request={pair.RequestId}) timed out waiting for streams";
        Log($"portforward {podName}: {message}");
        await WriteErrorAsync(pair.Error, message, cancellationToken);
        if (pair.Error is { } error)
        {
            await CloseQuietlyAsync(error);
        }

        pair.Error?.Dispose();
        pair.Data?.Dispose();
    }

    private async Task ForwardAsync(PortForwardStreamPair<SpdyStream> pair, Dictionary<string, PortForwardStreamPair<SpdyStream>> pairs, JsonObject pod, string podName, CancellationToken cancellationToken)
    {
        var data = pair.Data!;
        var error = pair.Error!;
        var port = PortForwardHeaders.PortOf(data.Headers);
        using var forwarding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, data.Reset);
        var token = forwarding.Token;
        Stream? target = null;
        try
        {
            try
            {
                target = await _pods.ConnectAsync(pod, port, token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or InvalidOperationException)
            {
                Log($"portforward {ObjectStore.NamespaceOf(pod)}/{podName}:{port} failed: {ex.Message}");
                await WriteErrorAsync(error, ForwardErrorMessage(pod, podName, port, ex), token);
                return;
            }

            var up = CopyToPodAsync(data, target, token);
            var down = CopyFromPodAsync(target, data, token);
            var first = await Task.WhenAny(up, down);
            await Task.WhenAny(first == up ? down : up, Task.Delay(s_otherDirectionGrace, token));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (pairs)
            {
                pairs.Remove(pair.RequestId);
            }

            await forwarding.CancelAsync();
            data.StopReading();
            error.StopReading();
            if (target is not null)
            {
                await target.DisposeAsync();
            }

            // The kubelet's order: the error stream, then the data stream.
            await CloseQuietlyAsync(error);
            await CloseQuietlyAsync(data);
            forwarding.Dispose();
            data.Dispose();
            error.Dispose();
        }
    }

    private static async Task CopyToPodAsync(SpdyStream data, Stream target, CancellationToken cancellationToken)
    {
        try
        {
            while (await data.ReadAsync(cancellationToken) is { } chunk)
            {
                await target.WriteAsync(chunk, cancellationToken);
            }

            // The client's FIN: pass the half-close on, as socat does for a Docker node's port-forward.
            if (target is NetworkStream network)
            {
                network.Socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static async Task CopyFromPodAsync(Stream target, SpdyStream data, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await target.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await data.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await data.CloseAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
        }
    }

    private static async Task WriteErrorAsync(SpdyStream? error, string message, CancellationToken cancellationToken)
    {
        if (error is null)
        {
            return;
        }

        try
        {
            await error.WriteAsync(Encoding.UTF8.GetBytes(message), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
        }
    }

    private static async Task CloseQuietlyAsync(SpdyStream stream)
    {
        // The connection may be gone already (client closed, fault): then there is no one to tell.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await stream.CloseAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
        }
    }

    private static string ForwardErrorMessage(JsonObject pod, string podName, int port, Exception ex)
        => $"error forwarding port {port} to pod {podName}, uid {(string?)pod["metadata"]?["uid"]}: failed to connect to localhost:{port}: {ex.Message}";
}
