using KSync.Engine.Nodes;
using KSync.Plugin.Cluster.Manifests;
using Microsoft.Extensions.Logging;
using KubernetesClient = k8s.Kubernetes;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The engine's <see cref="INodeConnector"/> over the Kubernetes API: a gRPC connection to radar on the node
/// (<see cref="RadarConnection"/>), radar's answer about the node syncthing (API key, version), and two tunnels to the
/// agent pod's syncthing API and sync ports. The tunnels find the node's agent pod again when it is replaced.
/// </summary>
/// <param name="kube">The Kubernetes client.</param>
/// <param name="logger">Logger for the tunnels.</param>
internal sealed class ClusterNodeConnector(KubernetesClient kube, ILogger logger) : INodeConnector
{
    /// <summary>How long radar may take to describe the node syncthing: 15 s.</summary>
    public static readonly TimeSpan InfoDeadline = TimeSpan.FromSeconds(15);

    /// <inheritdoc/>
    /// <exception cref="Errors.KsyncException">No ready agent on the node.</exception>
    /// <exception cref="NodeAgentException">radar did not answer.</exception>
    public async Task<INodeLink> ConnectAsync(string nodeName, CancellationToken cancellationToken)
    {
        var radar = await RadarConnection.ConnectAsync(kube, nodeName, logger, cancellationToken: cancellationToken);
        Tunnel? api = null;
        Tunnel? sync = null;
        try
        {
            var info = await RadarNodeAgent.CallAsync(
                token => radar.Client.GetSyncthingInfoAsync(new(), deadline: DateTime.UtcNow + InfoDeadline, cancellationToken: token).ResponseAsync,
                cancellationToken);
            var locator = new NodeAgentLocator(kube);
            async Task<string> AgentPodAsync(CancellationToken ct) => (await locator.FindAsync(nodeName, ct)).Metadata.Name;

            // Port-forward targets the pod's declared container ports (the DaemonSet's), not the addresses radar
            // reports: a port-forward names a pod port, which need not be the port the process sees.
            api = Tunnel.Start(kube, locator.Namespace, AgentPodAsync, NodeAgent.SyncthingApiPort, logger);
            sync = Tunnel.Start(kube, locator.Namespace, AgentPodAsync, NodeAgent.SyncthingSyncPort, logger);
            var syncthing = new NodeSyncthing(new Uri($"http://127.0.0.1:{api.LocalPort}"), info.ApiKey, $"tcp://127.0.0.1:{sync.LocalPort}", info.Version);
            return new ClusterNodeLink(nodeName, radar, api, sync, syncthing);
        }
        catch
        {
            if (sync is not null)
            {
                await sync.DisposeAsync();
            }

            if (api is not null)
            {
                await api.DisposeAsync();
            }

            await radar.DisposeAsync();
            throw;
        }
    }
}
