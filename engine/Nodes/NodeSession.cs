using KSync.Engine.Events;
using KSync.Engine.Identity;
using KSync.Syncthing;
using KSync.Syncthing.Client;
using KSync.Syncthing.Devices;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Nodes;

/// <summary>
/// What every Folder on one node shares: the link to the node agent (<see cref="INodeLink"/>: radar and the node
/// syncthing's REST API and sync port), the pairing of the local and node syncthings, and the node syncthing's event
/// hub. The session breaks (<see cref="Broken"/>) as soon as the link closes or the node's event stream fails, and,
/// as a fallback, when a health check every <see cref="HealthInterval"/> finds the node syncthing not answering, with
/// another device ID (its home was lost) or disconnected; its Folders then show reconnecting and resume on a fresh
/// session. Closing a session leaves the pairing and every folder in place for the next one.
/// </summary>
public sealed partial class NodeSession : IAsyncDisposable
{
    /// <summary>Time between health checks: 2 s.</summary>
    public static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed health checks that break the session: 2.</summary>
    public const int FailuresToBreak = 2;

    private readonly INodeLink _link;
    private readonly SyncthingEventHub _events;
    private readonly SyncEndpoint _local;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _broken = new();
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenRegistration _linkClosed;
    private SyncthingEventHub? _localEvents;
    private EventHandler<string>? _onDisconnected;
    private Task _health = Task.CompletedTask;

    private NodeSession(INodeLink link, SyncEndpoint local, SyncEndpoint remote, SyncthingEventHub events, ILogger logger, TimeProvider time)
    {
        _link = link;
        _local = local;
        Remote = remote;
        _events = events;
        _logger = logger;
        _time = time;
    }

    /// <summary>Gets the node's name.</summary>
    public string NodeName => _link.NodeName;

    /// <summary>Gets the node agent (radar on the node).</summary>
    public INodeAgent Agent => _link.Agent;

    /// <summary>Gets the node syncthing, reached through the link.</summary>
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
    /// Connects to the node agent on <paramref name="nodeName"/> through <paramref name="connector"/>, pairs the
    /// syncthings (the local syncthing dials the node's through the link's sync address; the node never dials; a new
    /// address makes it dial at once), and removes the folders of this machine on the node syncthing that the state file
    /// does not know (<see cref="FolderIdentities.LeftoversOnNode"/>); folders waiting to resume are known and stay.
    /// </summary>
    /// <param name="connector">Opens the link.</param>
    /// <param name="nodeName">The node.</param>
    /// <param name="local">The local syncthing.</param>
    /// <param name="localEvents">The local syncthing's event hub: its <c>DeviceDisconnected</c> for the node device breaks the session at once.</param>
    /// <param name="identities">Tells which folders are leftovers.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock of the health checks and the event hub's retries.</param>
    /// <param name="cancellationToken">Cancels the set-up.</param>
    /// <returns>The session.</returns>
    /// <exception cref="Exception">The connector failed (no ready agent on the node: the message says why).</exception>
    /// <exception cref="SyncthingException">The node syncthing did not answer or pair.</exception>
    public static async Task<NodeSession> ConnectAsync(
        INodeConnector connector,
        string nodeName,
        SyncEndpoint local,
        SyncthingEventHub localEvents,
        FolderIdentities identities,
        ILogger logger,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(localEvents);
        var link = await connector.ConnectAsync(nodeName, cancellationToken);
        SyncthingClient? client = null;
        SyncthingEventHub? hub = null;
        try
        {
            client = new SyncthingClient(link.Syncthing.ApiAddress, link.Syncthing.ApiKey, logger: logger);
            var remote = await SyncEndpoint.ConnectAsync(nodeName, client, cancellationToken);

            // Subscribed before pairing: the folders waiting to resume start exchanging as soon as the devices connect,
            // and their Folders must see what lands then (the hub keeps it until they subscribe).
            hub = new SyncthingEventHub(client, nodeName, logger, time);
            await hub.StartAsync(cancellationToken);
            await DevicePairing.PairAsync(local, remote, link.Syncthing.SyncAddress, null, cancellationToken);
            await DevicePairing.WaitConnectedAsync(local, remote.DeviceId, TimeSpan.FromSeconds(30), cancellationToken);
            foreach (var leftover in identities.LeftoversOnNode(await remote.Client.GetFoldersAsync(cancellationToken), local.DeviceId))
            {
                await remote.Client.RemoveFolderAsync(leftover, cancellationToken);
                Log.LeftoverRemoved(logger, remote.Name, leftover);
            }

            var session = new NodeSession(link, local, remote, hub, logger, time);
            hub.Failed += (_, ex) => session.MarkBroken($"the node syncthing's event stream failed: {ex.Message}");
            session._linkClosed = link.Closed.Register(() => session.MarkBroken(link.ClosedReason ?? $"the link to node {nodeName} closed"));
            session._localEvents = localEvents;
            session._onDisconnected = (_, device) =>
            {
                if (device == remote.DeviceId)
                {
                    _ = session.CheckSyncConnectionAsync();
                }
            };
            localEvents.DeviceDisconnected += session._onDisconnected;
            session._health = session.MonitorAsync(session._stop.Token);
            Log.Connected(logger, nodeName, remote.DeviceId, link.Syncthing.Version);
            return session;
        }
        catch
        {
            if (hub is not null)
            {
                await hub.DisposeAsync();
            }

            client?.Dispose();
            await link.DisposeAsync();
            throw;
        }
    }

    /// <summary>Marks the session broken (a Folder saw it fail); Folders on it stop and are rebuilt.</summary>
    /// <param name="reason">What failed.</param>
    public void MarkBroken(string reason)
    {
        lock (_broken)
        {
            if (_broken.IsCancellationRequested)
            {
                return;
            }

            BrokenReason = reason;
        }

        Log.SessionBroken(_logger, NodeName, reason);
        _broken.Cancel();
    }

    /// <summary>
    /// Stops the health check and event hub and closes the link. The devices stay paired and the folders configured:
    /// unpairing would make each syncthing drop the other's index, so the next session would exchange every index
    /// again instead of only what changed.
    /// </summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _health.ContinueWith(_ => { }, TaskScheduler.Default);
        await _linkClosed.DisposeAsync();
        if (_localEvents is not null && _onDisconnected is not null)
        {
            _localEvents.DeviceDisconnected -= _onDisconnected;
        }

        await _events.DisposeAsync();
        Remote.Client.Dispose();
        await _link.DisposeAsync();
        _broken.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// The local syncthing reported the node device's connection closed: the session breaks at once unless a newer
    /// connection is up (the event can be about the previous session's connection, closing after this one paired). A
    /// node agent pod being replaced closes this connection first while its port-forwards still answer, so neither the
    /// link nor the REST calls notice it for seconds (docs/architecture.md, "Statuses").
    /// </summary>
    private async Task CheckSyncConnectionAsync()
    {
        try
        {
            if (!await IsSyncConnectedAsync(_stop.Token))
            {
                MarkBroken("the node syncthing closed the sync connection");
            }
        }
        catch (Exception ex) when (ex is SyncthingException or OperationCanceledException or ObjectDisposedException)
        {
            // The local syncthing is not answering or the session is closing: the health check and the local watchdog handle those.
        }
    }

    /// <summary>Asks the local syncthing whether it has a sync connection to the node device.</summary>
    /// <exception cref="SyncthingException">The local syncthing did not answer.</exception>
    private async Task<bool> IsSyncConnectedAsync(CancellationToken cancellationToken)
    {
        var connections = await _local.Client.GetConnectionsAsync(cancellationToken);
        return connections.Connections.TryGetValue(Remote.DeviceId, out var link) && link.Connected;
    }

    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested && !IsBroken)
        {
            await Task.Delay(HealthInterval, _time, cancellationToken);
            string? problem = null;
            try
            {
                var status = await Remote.Client.GetSystemStatusAsync(cancellationToken);
                if (status.MyId != Remote.DeviceId)
                {
                    MarkBroken($"the node syncthing's device ID changed to {status.MyId} (new agent home)");
                    return;
                }

                if (!await IsSyncConnectedAsync(cancellationToken))
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
