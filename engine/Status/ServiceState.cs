using KSync.Engine.Latency;
using KSync.Engine.Seeding;

namespace KSync.Engine.Status;

/// <summary>
/// What <c>get</c> shows about one Service, updated by its Folder from syncthing events and radar answers.
/// Thread-safe; every change notifies the <see cref="StatusBoard"/>.
/// </summary>
public sealed class ServiceState
{
    private readonly object _gate = new();
    private readonly StatusBoard _board;
    private ServiceStatus _status = ServiceStatus.Starting;
    private string _lastError = string.Empty;
    private double _initialSyncPercent;
    private DateTimeOffset? _lastSync;
    private string _nodePath = string.Empty;
    private string _backend = string.Empty;
    private bool _onVolume;
    private int _reloadCount;
    private DateTimeOffset? _reconnectingSince;
    private string _reconnectReason = string.Empty;
    private string _warning = string.Empty;
    private SeedProgress? _seed;
    private int _firstSyncRemoved;
    private LatencySummary _latency = LatencySummary.None;

    /// <summary>Creates the state in <see cref="ServiceStatus.Starting"/>.</summary>
    /// <param name="board">Notified on every change.</param>
    public ServiceState(StatusBoard board)
    {
        _board = board;
    }

    /// <summary>Gets a consistent copy of the state.</summary>
    public ServiceSnapshot Snapshot
    {
        get
        {
            lock (_gate)
            {
                return new ServiceSnapshot(_status, _lastError, _initialSyncPercent, _lastSync, _nodePath, _backend, _onVolume, _reloadCount, _reconnectingSince, _reconnectReason, _warning, _seed, _firstSyncRemoved, _latency);
            }
        }
    }

    /// <summary>Sets the status (the last error is kept for <c>get</c> until the next error).</summary>
    /// <param name="status">The new status; use <see cref="SetReconnecting"/> for <see cref="ServiceStatus.Reconnecting"/>.</param>
    public void SetStatus(ServiceStatus status) => Change(() =>
    {
        _status = status;
        _reconnectingSince = null;
        _reconnectReason = string.Empty;
    });

    /// <summary>Sets <see cref="ServiceStatus.Reconnecting"/> with since when and why.</summary>
    /// <param name="since">When the link broke.</param>
    /// <param name="reason">Why it is not back yet, one line.</param>
    public void SetReconnecting(DateTimeOffset since, string reason) => Change(() =>
    {
        _status = ServiceStatus.Reconnecting;
        _reconnectingSince = since;
        _reconnectReason = reason;
    });

    /// <summary>Sets <see cref="ServiceStatus.Error"/> with its reason.</summary>
    /// <param name="reason">What failed, one line.</param>
    public void Fail(string reason) => Change(() =>
    {
        _status = ServiceStatus.Error;
        _reconnectingSince = null;
        _reconnectReason = string.Empty;
        _lastError = reason;
    });

    /// <summary>Records the initial sync's progress.</summary>
    /// <param name="percent">0–100.</param>
    public void SetInitialSyncPercent(double percent) => Change(() => _initialSyncPercent = Math.Clamp(percent, 0, 100));

    /// <summary>Records that a change landed on either side.</summary>
    /// <param name="when">When it landed.</param>
    public void SetLastSync(DateTimeOffset when) => Change(() => _lastSync = when);

    /// <summary>Records where radar resolved the remote path.</summary>
    /// <param name="nodePath">Node path.</param>
    /// <param name="backend">Runtime backend that answered.</param>
    /// <param name="onVolume">Whether it lies on a volume.</param>
    public void SetResolution(string nodePath, string backend, bool onVolume) => Change(() =>
    {
        _nodePath = nodePath;
        _backend = backend;
        _onVolume = onVolume;
    });

    /// <summary>Sets or clears the warning (one per service; a later set replaces it, so it never piles up).</summary>
    /// <param name="warning">The warning, or null to clear it.</param>
    public void SetWarning(string? warning) => Change(() => _warning = warning ?? string.Empty);

    /// <summary>Sets or clears how far the first sync's seed is.</summary>
    /// <param name="progress">The seed's progress, or null once it ended (done or failed).</param>
    public void SetSeed(SeedProgress? progress) => Change(() => _seed = progress);

    /// <summary>Counts one entry a first sync removed from the container.</summary>
    public void CountFirstSyncRemoved() => Change(() => _firstSyncRemoved++);

    /// <summary>Records the save→visible latency after a local change landed.</summary>
    /// <param name="latency">The summary of the last changes.</param>
    public void SetLatency(LatencySummary latency) => Change(() => _latency = latency);

    /// <summary>Counts one reload.</summary>
    public void CountReload() => Change(() => _reloadCount++);

    private void Change(Action change)
    {
        lock (_gate)
        {
            change();
        }

        _board.NotifyChanged();
    }
}
