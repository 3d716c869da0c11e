using KSync.Engine.Nodes;

namespace KSync.Plugin.Cluster;

/// <summary>
/// An open link to one node's agent over the Kubernetes API: the radar connection and the two syncthing tunnels.
/// <see cref="Closed"/> is cancelled as soon as the sync tunnel's connection ends from the pod's side or cannot be
/// opened (the port-forward was cut, the API server or the agent pod went away, the node syncthing stopped): the two
/// syncthings are apart then, and the engine reconnects on a new link, whose new addresses also make the local
/// syncthing dial at once instead of after its reconnect interval. A broken event stream on the API tunnel breaks the
/// engine's session as well; the API tunnel's other connections are left alone, since the node syncthing closes idle
/// keep-alive connections itself, and radar's channel re-opens by itself.
/// </summary>
internal sealed class ClusterNodeLink : INodeLink
{
    private readonly RadarConnection _radar;
    private readonly Tunnel _api;
    private readonly Tunnel _sync;
    private readonly CancellationTokenSource _closed = new();
    private string? _closedReason;
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
        _sync.ConnectionLost += OnSyncLost;
    }

    /// <inheritdoc/>
    public string NodeName { get; }

    /// <inheritdoc/>
    public NodeSyncthing Syncthing { get; }

    /// <inheritdoc/>
    public INodeAgent Agent { get; }

    /// <inheritdoc/>
    public CancellationToken Closed => _closed.Token;

    /// <inheritdoc/>
    public string? ClosedReason => Volatile.Read(ref _closedReason);

    /// <summary>Closes the tunnels and the radar connection.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _sync.ConnectionLost -= OnSyncLost;
        Interlocked.CompareExchange(ref _closedReason, "the link was closed", null);
        await _closed.CancelAsync();
        await _sync.DisposeAsync();
        await _api.DisposeAsync();
        await _radar.DisposeAsync();
        _closed.Dispose();
    }

    private void OnSyncLost(object? sender, string reason)
    {
        if (Volatile.Read(ref _disposed) == 0 && Interlocked.CompareExchange(ref _closedReason, $"the sync connection to node {NodeName} ended: {reason}", null) is null)
        {
            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile.
            }
        }
    }
}
