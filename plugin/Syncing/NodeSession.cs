using KSync.Plugin.Cluster;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Syncthing;
using Microsoft.Extensions.Logging;
using KubernetesClient = k8s.Kubernetes;

namespace KSync.Plugin.Syncing;

/// <summary>
/// What every Folder on one node shares: the tunnel and gRPC connection to radar, the tunnels to the node
/// syncthing's REST API and sync port, the pairing of the local and node syncthings, and the node syncthing's event
/// hub. The tunnels find the node's agent pod again when it is replaced. A health check every
/// <see cref="HealthInterval"/> marks the session broken (<see cref="Broken"/>) when the node syncthing stops
/// answering, changes its device ID (a new agent with a new home) or stays disconnected; the Folders then fail and
/// their Services build them again on a fresh session.
/// </summary>
internal sealed partial class NodeSession : IAsyncDisposable
{
    /// <summary>Time between health checks: 5 s.</summary>
    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed health checks that break the session: 3.</summary>
    public const int FailuresToBreak = 3;

    private readonly RadarConnection _radar;
    private readonly Tunnel _apiTunnel;
    private readonly Tunnel _syncTunnel;
    private readonly SyncthingEventHub _events;
    private readonly SyncEndpoint _local;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _broken = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _health = Task.CompletedTask;

    private NodeSession(string nodeName, RadarConnection radar, Tunnel apiTunnel, Tunnel syncTunnel, SyncEndpoint local, SyncEndpoint remote, SyncthingEventHub events, ILogger logger)
    {
        NodeName = nodeName;
        _radar = radar;
        _apiTunnel = apiTunnel;
        _syncTunnel = syncTunnel;
        _local = local;
        Remote = remote;
        _events = events;
        _logger = logger;
    }

    /// <summary>Gets the node's name.</summary>
    public string NodeName { get; }

    /// <summary>Gets radar on the node.</summary>
    public Proto.Radar.V1.Radar.RadarClient Radar => _radar.Client;

    /// <summary>Gets the node syncthing, reached through the API tunnel.</summary>
    public SyncEndpoint Remote { get; }

    /// <summary>Gets the node syncthing's event hub.</summary>
    public SyncthingEventHub Events => _events;

    /// <summary>Gets a token cancelled when the session broke; Folders on it stop and are rebuilt.</summary>
    public CancellationToken Broken => _broken.Token;

    /// <summary>Gets a value indicating whether the session broke.</summary>
    public bool IsBroken => _broken.IsCancellationRequested;

    /// <summary>Gets why the session broke, or null.</summary>
    public string? BrokenReason { get; private set; }

    /// <summary>
    /// Connects to the node agent on <paramref name="nodeName"/>: radar, the syncthing tunnels, pairing (the local
    /// syncthing dials the node's through the sync tunnel; the node never dials), and removes folders a previous
    /// watch left on the node syncthing for this local device.
    /// </summary>
    /// <param name="kube">The Kubernetes client.</param>
    /// <param name="nodeName">The node.</param>
    /// <param name="local">The local syncthing.</param>
    /// <param name="isActiveFolder">Tells which folder IDs are in use, so only leftovers are removed.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>The session.</returns>
    /// <exception cref="Commands.KsyncException">No ready agent on the node.</exception>
    /// <exception cref="SyncthingException">The node syncthing did not answer or pair.</exception>
    public static async Task<NodeSession> ConnectAsync(
        KubernetesClient kube,
        string nodeName,
        SyncEndpoint local,
        Func<string, bool> isActiveFolder,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var radar = await RadarConnection.ConnectAsync(kube, nodeName, logger, cancellationToken: cancellationToken);
        Tunnel? api = null;
        Tunnel? sync = null;
        SyncthingEventHub? hub = null;
        try
        {
            var info = await radar.Client.GetSyncthingInfoAsync(new(), deadline: DateTime.UtcNow.AddSeconds(15), cancellationToken: cancellationToken);
            var locator = new NodeAgentLocator(kube);
            async Task<string> AgentPodAsync(CancellationToken ct) => (await locator.FindAsync(nodeName, ct)).Metadata.Name;

            // Port-forward targets the pod's declared container ports (the DaemonSet's), not the addresses radar
            // reports: a port-forward names a pod port, which need not be the port the process sees.
            api = Tunnel.Start(kube, locator.Namespace, AgentPodAsync, NodeAgent.SyncthingApiPort, logger);
            sync = Tunnel.Start(kube, locator.Namespace, AgentPodAsync, NodeAgent.SyncthingSyncPort, logger);
            var client = new SyncthingClient(new Uri($"http://127.0.0.1:{api.LocalPort}"), info.ApiKey, logger: logger);
            var remote = await SyncEndpoint.ConnectAsync(nodeName, client, cancellationToken);
            await DevicePairing.PairAsync(local, remote, $"tcp://127.0.0.1:{sync.LocalPort}", null, cancellationToken);
            await DevicePairing.WaitConnectedAsync(local, remote.DeviceId, TimeSpan.FromSeconds(30), cancellationToken);
            await RemoveLeftoversAsync(remote, local.DeviceId, isActiveFolder, logger, cancellationToken);
            hub = new SyncthingEventHub(client, nodeName, isLocal: false, logger, TimeProvider.System);
            await hub.StartAsync(cancellationToken);
            var session = new NodeSession(nodeName, radar, api, sync, local, remote, hub, logger);
            session._health = session.MonitorAsync(session._stop.Token);
            Log.Connected(logger, nodeName, remote.DeviceId, info.Version);
            return session;
        }
        catch
        {
            if (hub is not null)
            {
                await hub.DisposeAsync();
            }

            await DisposeQuietlyAsync(sync);
            await DisposeQuietlyAsync(api);
            await radar.DisposeAsync();
            throw;
        }
    }

    /// <summary>Marks the session broken (a Folder saw it fail); Folders on it stop and are rebuilt.</summary>
    /// <param name="reason">What failed.</param>
    public void MarkBroken(string reason)
    {
        if (!_broken.IsCancellationRequested)
        {
            BrokenReason = reason;
            Log.SessionBroken(_logger, NodeName, reason);
            _broken.Cancel();
        }
    }

    /// <summary>Stops the health check and event hub, unpairs (best effort, 2 s) and closes the tunnels.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _health.ContinueWith(_ => { }, TaskScheduler.Default);
        await _events.DisposeAsync();
        if (!IsBroken)
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await DevicePairing.UnpairAsync(_local, Remote, bounded.Token);
            }
            catch (Exception ex) when (ex is SyncthingException or OperationCanceledException)
            {
                Log.UnpairFailed(_logger, NodeName, ex.Message);
            }
        }

        Remote.Client.Dispose();
        await DisposeQuietlyAsync(_syncTunnel);
        await DisposeQuietlyAsync(_apiTunnel);
        await _radar.DisposeAsync();
        _broken.Dispose();
        _stop.Dispose();
    }

    private static async Task RemoveLeftoversAsync(SyncEndpoint remote, string localDeviceId, Func<string, bool> isActive, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var folder in await remote.Client.GetFoldersAsync(cancellationToken))
        {
            var ours = folder.Id?.StartsWith(Folder.IdPrefix, StringComparison.Ordinal) == true
                && folder.Devices?.Any(d => d.DeviceId == localDeviceId) == true;
            if (ours && !isActive(folder.Id!))
            {
                await remote.Client.RemoveFolderAsync(folder.Id!, cancellationToken);
                Log.LeftoverRemoved(logger, remote.Name, folder.Id!);
            }
        }
    }

    private static async Task DisposeQuietlyAsync(Tunnel? tunnel)
    {
        if (tunnel is not null)
        {
            await tunnel.DisposeAsync();
        }
    }

    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested && !IsBroken)
        {
            await Task.Delay(HealthInterval, cancellationToken);
            string? problem = null;
            try
            {
                var status = await Remote.Client.GetSystemStatusAsync(cancellationToken);
                if (status.MyId != Remote.DeviceId)
                {
                    MarkBroken($"the node syncthing's device ID changed to {status.MyId} (new agent home)");
                    return;
                }

                var connections = await _local.Client.GetConnectionsAsync(cancellationToken);
                if (!connections.Connections.TryGetValue(Remote.DeviceId, out var link) || !link.Connected)
                {
                    problem = "the local syncthing is not connected to the node's";
                }
            }
            catch (SyncthingException ex)
            {
                problem = ex.Message;
            }

            failures = problem is null ? 0 : failures + 1;
            if (failures >= FailuresToBreak)
            {
                MarkBroken(problem!);
            }
        }
    }
}
