using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.Plugin.Cluster;
using Wire = KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Status;

/// <summary>
/// What the status server reports: the live SpecList rendered into the status contract (proto/ksync.proto) by
/// <see cref="StatusMapper"/>, the Kubernetes API connection state, and whether the local syncthing answers.
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
        => StatusMapper.ToProto(_specs.Items.Where(s => names.Count == 0 || names.Any(n => s.Details.Name.Contains(n, StringComparison.Ordinal))), _api(), _specs.SourceOf);
}
