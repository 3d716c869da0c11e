using Grpc.Net.Client;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using Microsoft.Extensions.Logging;
using k8s;
using RadarClient = KSync.Proto.Radar.V1.Radar.RadarClient;

namespace KSync.Plugin.Cluster;

/// <summary>
/// A gRPC connection to radar on one node: a <see cref="Tunnel"/> to port <see cref="NodeAgent.RadarPort"/> of that
/// node's agent pod (found by <see cref="NodeAgentLocator"/>, again whenever the agent is replaced), a gRPC channel
/// over it (HTTP/2 without TLS: radar listens on the pod's 127.0.0.1 only) and the generated client.
/// </summary>
internal sealed class RadarConnection : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private RadarConnection(string nodeName, Tunnel tunnel, GrpcChannel channel)
    {
        NodeName = nodeName;
        Tunnel = tunnel;
        _channel = channel;
        Client = new RadarClient(channel);
    }

    /// <summary>Gets the node radar runs on.</summary>
    public string NodeName { get; }

    /// <summary>Gets the tunnel the channel uses.</summary>
    public Tunnel Tunnel { get; }

    /// <summary>Gets the radar client (proto/radar.proto).</summary>
    public RadarClient Client { get; }

    /// <summary>Opens the tunnel and channel; the agent pod is looked up now, so a missing agent fails here.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="nodeName">The node.</param>
    /// <param name="logger">Logger for the tunnel.</param>
    /// <param name="agentNamespace">Namespace of the DaemonSet; default "ksync".</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="KsyncException">No ready agent on the node.</exception>
    public static async Task<RadarConnection> ConnectAsync(Kubernetes client, string nodeName, ILogger logger, string agentNamespace = NodeAgent.DefaultNamespace, CancellationToken cancellationToken = default)
    {
        var locator = new NodeAgentLocator(client, agentNamespace);
        var first = await locator.FindAsync(nodeName, cancellationToken);
        var known = first.Metadata.Name;
        var tunnel = Tunnel.Start(
            client,
            agentNamespace,
            async ct =>
            {
                // The first connection uses the pod just found; later ones (after a failure) look again.
                var name = Interlocked.Exchange(ref known, null);
                return name ?? (await locator.FindAsync(nodeName, ct)).Metadata.Name;
            },
            NodeAgent.RadarPort,
            logger);
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{tunnel.LocalPort}");
        return new RadarConnection(nodeName, tunnel, channel);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Tunnel.DisposeAsync();
    }
}
