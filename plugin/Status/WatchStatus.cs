using Google.Protobuf.WellKnownTypes;
using KSync.Plugin.Cluster;
using KSync.Plugin.Syncing;
using Wire = KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Status;

/// <summary>
/// What the status server reports: the live SpecList rendered into the status contract (proto/ksync.proto), the
/// Kubernetes API connection state, and whether the local syncthing answers.
/// </summary>
internal sealed class WatchStatus
{
    private readonly SpecList _specs;
    private readonly Func<ApiConnectionState> _api;
    private readonly Func<CancellationToken, Task<bool>> _syncthingAlive;

    /// <summary>Creates the status view.</summary>
    /// <param name="specs">The running specs.</param>
    /// <param name="board">Change notifications of the specs and services.</param>
    /// <param name="api">Reads the API connection state.</param>
    /// <param name="syncthingAlive">Asks whether the local syncthing answers.</param>
    public WatchStatus(SpecList specs, StatusBoard board, Func<ApiConnectionState> api, Func<CancellationToken, Task<bool>> syncthingAlive)
    {
        _specs = specs;
        Board = board;
        _api = api;
        _syncthingAlive = syncthingAlive;
    }

    /// <summary>Gets the change notifications.</summary>
    public StatusBoard Board { get; }

    /// <summary>Gets the running specs.</summary>
    public SpecList Specs => _specs;

    /// <summary>Asks whether the local syncthing answers.</summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>True when it does.</returns>
    public Task<bool> IsSyncthingAliveAsync(CancellationToken cancellationToken) => _syncthingAlive(cancellationToken);

    /// <summary>Renders the current state, keeping specs whose name contains one of <paramref name="names"/>.</summary>
    /// <param name="names">Substring filters; empty = all.</param>
    /// <returns>The spec list message.</returns>
    public Wire.SpecList Snapshot(IReadOnlyCollection<string> names)
    {
        var list = new Wire.SpecList { Api = ToWire(_api()) };
        foreach (var spec in _specs.Items.Where(s => names.Count == 0 || names.Any(n => s.Details.Name.Contains(n, StringComparison.Ordinal))))
        {
            var (status, reason) = spec.Status;
            var message = StatusMapper.ToProto(spec.Details, _specs.SourceOf(spec.Details.Name));
            message.Status = status switch
            {
                SpecStatus.Waiting => Wire.SpecStatus.Waiting,
                SpecStatus.Active => Wire.SpecStatus.Active,
                _ => Wire.SpecStatus.Error,
            };
            message.Reason = reason;
            message.Services = new Wire.ServiceList();
            message.Services.Items.AddRange(spec.Services.Items.Select(ToWire));
            list.Items.Add(message);
        }

        return list;
    }

    private static Wire.ApiConnection ToWire(ApiConnectionState api) => new()
    {
        State = api.IsConnected ? "connected" : "reconnecting",
        Since = Timestamp.FromDateTimeOffset(api.Since),
        LastError = api.LastError ?? string.Empty,
    };

    private static Wire.Service ToWire(Service service)
    {
        var state = service.State.Snapshot;
        var container = service.Container;
        return new Wire.Service
        {
            RemoteContainer = new Wire.RemoteContainer
            {
                PodName = container.PodName,
                Namespace = container.Namespace,
                NodeName = container.NodeName,
                ContainerName = container.ContainerName,
                ContainerId = container.ContainerId,
                RestartCount = container.RestartCount,
            },
            Status = state.Status switch
            {
                ServiceStatus.Starting => Wire.ServiceStatus.Starting,
                ServiceStatus.Syncing => Wire.ServiceStatus.Syncing,
                ServiceStatus.Watching => Wire.ServiceStatus.Watching,
                ServiceStatus.Reloading => Wire.ServiceStatus.Reloading,
                _ => Wire.ServiceStatus.Error,
            },
            LastError = state.LastError,
            InitialSyncPercent = state.InitialSyncPercent,
            LastSync = state.LastSync is { } when ? Timestamp.FromDateTimeOffset(when) : null,
            NodePath = state.NodePath,
            Backend = state.Backend,
            OnVolume = state.OnVolume,
            ReloadCount = state.ReloadCount,
        };
    }
}
