using System.Net.Sockets;
using Grpc.Net.Client;

namespace KSync.Radar.Runtimes.Cri;

/// <summary>gRPC channels to CRI runtimes over their unix sockets (HTTP/2 without TLS, as the kubelet talks to them).</summary>
internal static class CriChannels
{
    /// <summary>Creates a channel whose every connection goes to <paramref name="socketPath"/>.</summary>
    /// <param name="socketPath">The runtime's unix socket.</param>
    /// <returns>The channel; dispose it to close its connections.</returns>
    public static GrpcChannel ForSocket(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
    }
}
