using KSync.Engine.Nodes;

namespace KSync.Plugin.Cluster;

/// <summary>
/// An open link to one node's agent over the Kubernetes API: the radar connection and the two syncthing tunnels. Its
/// tunnels re-open themselves when a port-forward fails (they look the agent pod up again), so <see cref="Closed"/>
/// is cancelled only when the link is disposed.
/// </summary>
internal sealed class ClusterNodeLink : INodeLink
{
    private readonly RadarConnection _radar;
    private readonly Tunnel _api;
    private readonly Tunnel _sync;
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    /// <summary>Creates the link from what <see cref="ClusterNodeConnector"/> opened; it owns them from now on.</summary>
    /// <param name="nodeName">The node.</param>
    /// <param name="radar">The radar connection.</param>
    /// <param name="api">The tunnel to the node syncthing's REST API.</param>
    /// <param name="sync">The tunnel to the node syncthing's sync port.</param>
    /// <param name="syncthing">How to reach the node syncthing through the tunnels.</param>
    public ClusterNodeLink(string nodeName, RadarConnection radar, Tunnel api, Tunnel sync, NodeSyncthing syncthing)
    {
        NodeName = nodeName;
        _radar = radar;
        _api = api;
        _sync = sync;
        Syncthing = syncthing;
        Agent = new RadarNodeAgent(radar.Client);
    }

    /// <inheritdoc/>
    public string NodeName { get; }

    /// <inheritdoc/>
    public NodeSyncthing Syncthing { get; }

    /// <inheritdoc/>
    public INodeAgent Agent { get; }

    /// <inheritdoc/>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Closes the tunnels and the radar connection.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _closed.CancelAsync();
        await _sync.DisposeAsync();
        await _api.DisposeAsync();
        await _radar.DisposeAsync();
        _closed.Dispose();
    }
}
