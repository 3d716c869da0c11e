using KSync.Engine.Status;

namespace KSync.Engine.FolderEvents;

/// <summary>
/// The rules of a Folder, as a pure state machine: inputs (<see cref="FolderInput"/>) and the time go in through
/// <see cref="Observe"/>, decisions (<see cref="FolderDecision"/>) come out of <see cref="Decide"/>. It does no I/O and
/// reads no clock; the Folder feeds it and carries the decisions out. Not thread-safe: one Folder loop owns it.
/// <para>The rules (docs/architecture.md, "Reload rules" and "Statuses"):</para>
/// <list type="bullet">
/// <item>Phases: see <see cref="FolderPhase"/>. Nothing is decided while setting up or reconnecting but what the
/// inputs carry (last-sync times, reload notices) and, on a broken link, the reconnecting status.</item>
/// <item>Status: <c>syncing</c> while either side is pulling (<c>sync-waiting</c>, <c>sync-preparing</c>,
/// <c>syncing</c>), else <c>watching</c>; <c>reloading</c> while a reload runs; <c>reconnecting</c> (since when, why)
/// while the link to the node is broken.</item>
/// <item>Reload: an item the NODE finished with new content or a deletion is a local change that landed in the
/// container (a change the container makes itself is a local change of the node's folder and never shows there, so an
/// app writing files cannot trigger reloads; a metadata-only item changes no content). With reload on, a reload is due
/// <see cref="FolderMachineOptions.ReloadDebounce"/> after the last such item, and fires once the node side is not
/// pulling and the folder is followed; a reload due when the link broke fires once after the resume. A first sync's seed
/// that wrote or removed entries counts as such an item (<see cref="FolderInput.Seeded"/>). A requested
/// reload fires at once. After an automatic reload the node side is rescanned.</item>
/// <item>A reload is never lost to a broken link (docs/architecture.md, "Reload rules"): an automatic reload that
/// failed is tried again after <see cref="FolderMachineOptions.ReloadRetry"/> (up to
/// <see cref="FolderMachineOptions.ReloadAttempts"/> times); one the link broke under, and local changes the scanner
/// found that the node had not confirmed when the link broke (it may have written them and gone before its events
/// arrived), leave a reload owed, which fires once after the resume.</item>
/// <item>Rescan: when the node folder goes to <c>error</c> (its marker vanished while the container restarted) it is
/// rescanned after <see cref="FolderMachineOptions.RescanAfterNodeError"/>, and again after
/// <see cref="FolderMachineOptions.RescanRetry"/> until that works.</item>
/// <item>A local syncthing restart re-applies the folder's config.</item>
/// </list>
/// </summary>
public sealed class FolderMachine
{
    private static readonly HashSet<string> s_pullingStates = new(StringComparer.Ordinal) { "sync-waiting", "sync-preparing", "syncing" };

    private readonly FolderMachineOptions _options;
    private readonly List<FolderDecision> _notices = [];
    private ServiceStatus _shown;
    private bool _localPulling;
    private bool _nodePulling;
    private DateTimeOffset? _localStateAt;
    private DateTimeOffset? _nodeStateAt;
    private DateTimeOffset? _reloadDueAt;
    private DateTimeOffset? _rescanDueAt;
    private DateTimeOffset? _lastSync;
    private DateTimeOffset? _brokenSince;
    private string? _brokenReason;
    private bool _brokenShown;
    private bool _reapply;
    private int _reloadsRequested;
    private bool _reloadingAutomatic;
    private int _reloadFailures;
    private bool _localUnconfirmed;

    /// <summary>Creates the machine.</summary>
    /// <param name="options">The rules' parameters.</param>
    /// <param name="shown">The status <c>get</c> shows now.</param>
    /// <param name="phase">The phase to start in: <see cref="FolderPhase.SettingUp"/> for a Folder that starts, or
    /// <see cref="FolderPhase.Following"/> (the default) for a folder that is set up.</param>
    public FolderMachine(FolderMachineOptions options, ServiceStatus shown = ServiceStatus.Watching, FolderPhase phase = FolderPhase.Following)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _shown = shown;
        Phase = phase;
    }

    /// <summary>Gets the phase.</summary>
    public FolderPhase Phase { get; private set; }

    /// <summary>
    /// Gets when <see cref="Decide"/> has something to do even if no input arrives (a reload or rescan falls due), or
    /// null when only an input can change anything. A reload that waits for the node side to stop pulling is not
    /// counted: the state change that ends the pulling is an input. Nothing falls due while setting up or reconnecting.
    /// </summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            if (Phase is FolderPhase.SettingUp or FolderPhase.Reconnecting)
            {
                return null;
            }

            var reload = _nodePulling ? null : _reloadDueAt;
            return reload is null ? _rescanDueAt : _rescanDueAt is null || reload < _rescanDueAt ? reload : _rescanDueAt;
        }
    }

    /// <summary>Takes one input in; nothing is decided until <see cref="Decide"/>.</summary>
    /// <param name="input">What happened.</param>
    /// <param name="now">The time it is taken in.</param>
    public void Observe(FolderInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        switch (input)
        {
            case FolderInput.StateChanged changed:
                ObserveState(changed, now);
                break;
            case FolderInput.ItemSynced item:
                _lastSync = item.Time ?? now;
                if (item.Side == FolderSide.Node)
                {
                    _localUnconfirmed = false;
                }

                if (item.Side == FolderSide.Node && _options.ReloadEnabled && item.Action != "metadata")
                {
                    _reloadDueAt = now + _options.ReloadDebounce;
                    _reloadFailures = 0;
                    _notices.Add(new FolderDecision.ReloadDue(_reloadDueAt.Value, item.Action, item.Item));
                }

                break;
            case FolderInput.Seeded seeded:
                // What the seed wrote landed in the container without node events: one reload is due after it, as after
                // node items; a seed that found the container identical changed nothing there.
                if (seeded.Written + seeded.Removed > 0)
                {
                    _lastSync = seeded.Time;
                    if (_options.ReloadEnabled)
                    {
                        _reloadDueAt = now + _options.ReloadDebounce;
                        _reloadFailures = 0;
                        _notices.Add(new FolderDecision.ReloadDue(_reloadDueAt.Value, "seed", $"{seeded.Written} written, {seeded.Removed} removed"));
                    }
                }

                break;
            case FolderInput.ChangeDetected changed:
                // Changes found while setting up or reconnecting reach the node through the set-up, whose items count.
                if (changed.Side == FolderSide.Local && Phase is FolderPhase.Following or FolderPhase.Reloading)
                {
                    _localUnconfirmed = true;
                }

                break;
            case FolderInput.SetUpDone:
                Phase = FolderPhase.Following;

                // A reload that fell due before the link broke waits for what the resume brings in, so both give one reload.
                if (_reloadDueAt is { } due && due < now + _options.ReloadDebounce)
                {
                    _reloadDueAt = now + _options.ReloadDebounce;
                }

                _brokenSince = null;
                _brokenReason = null;
                _brokenShown = false;
                break;
            case FolderInput.LinkBroken broken:
                if (Phase != FolderPhase.Reconnecting)
                {
                    // A reload the link broke under may not have happened; local changes the node had not confirmed
                    // may have landed without their events: either way one reload is owed after the resume.
                    var reloadOwed = (Phase == FolderPhase.Reloading && _reloadingAutomatic)
                        || (_localUnconfirmed && _options.LocalChangesGoOut && _options.ReloadEnabled);
                    if (reloadOwed && _reloadDueAt is null)
                    {
                        _reloadDueAt = now;
                        _notices.Add(new FolderDecision.ReloadDue(now, Phase == FolderPhase.Reloading ? "interrupted" : "unconfirmed", null));
                    }

                    _localUnconfirmed = false;
                    Phase = FolderPhase.Reconnecting;
                    _brokenSince = now;

                    // What the node side was doing is unknown until the resume reads it again; requests were answered
                    // "skipped" by the Folder; a rescan of a node we cannot reach is moot.
                    _nodePulling = false;
                    _nodeStateAt = null;
                    _reloadsRequested = 0;
                    _rescanDueAt = null;
                }

                _brokenShown = _brokenShown && _brokenReason == broken.Reason;
                _brokenReason = broken.Reason;
                break;
            case FolderInput.LocalSyncthingRestarted:
                _reapply = true;
                break;
            case FolderInput.ReloadRequested:
                // Requests while the folder is not followed were answered "skipped" by the Folder.
                if (Phase is FolderPhase.Following or FolderPhase.Reloading)
                {
                    _reloadsRequested++;
                }

                break;
            case FolderInput.RescanFinished rescan:
                if (!rescan.Succeeded)
                {
                    _rescanDueAt = now + _options.RescanRetry;
                }

                break;
            case FolderInput.ReloadFinished reload:
                if (Phase == FolderPhase.Reloading)
                {
                    Phase = FolderPhase.Following;
                }

                if (reload.Manual)
                {
                    break;
                }

                if (!reload.Failed)
                {
                    _reloadFailures = 0;
                    _rescanDueAt = now + _options.RescanAfterReload;
                }
                else if (++_reloadFailures < _options.ReloadAttempts)
                {
                    var retryAt = now + _options.ReloadRetry;
                    _reloadDueAt = _reloadDueAt is { } later && later > retryAt ? later : retryAt;
                    _notices.Add(new FolderDecision.ReloadDue(_reloadDueAt.Value, "retry", null));
                }
                else
                {
                    _reloadFailures = 0;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input, "Unknown folder input.");
        }
    }

    /// <summary>
    /// Decides what to do now. Carry the decisions out in order, feeding each action's result back through
    /// <see cref="Observe"/>, then call this again until it returns nothing; then wait for an input or
    /// <see cref="NextDueAt"/>.
    /// </summary>
    /// <param name="now">The time.</param>
    /// <returns>The decisions; empty when there is nothing to do now.</returns>
    public IReadOnlyList<FolderDecision> Decide(DateTimeOffset now)
    {
        var decisions = new List<FolderDecision>();
        if (_reapply && Phase is FolderPhase.Following or FolderPhase.Reloading)
        {
            _reapply = false;
            decisions.Add(new FolderDecision.ReapplyConfig());
        }

        if (_lastSync is { } lastSync)
        {
            _lastSync = null;
            decisions.Add(new FolderDecision.SetLastSync(lastSync));
        }

        decisions.AddRange(_notices);
        _notices.Clear();
        if (Phase == FolderPhase.Reconnecting)
        {
            if (!_brokenShown)
            {
                _brokenShown = true;
                _shown = ServiceStatus.Reconnecting;
                decisions.Add(new FolderDecision.ShowReconnecting(_brokenSince!.Value, _brokenReason!));
            }

            return decisions;
        }

        if (Phase != FolderPhase.Following)
        {
            return decisions;
        }

        Show(_localPulling || _nodePulling ? ServiceStatus.Syncing : ServiceStatus.Watching, decisions);
        if (_rescanDueAt is { } rescanAt && rescanAt <= now)
        {
            _rescanDueAt = null;
            decisions.Add(new FolderDecision.RescanNode());
        }

        if (_reloadsRequested > 0)
        {
            _reloadsRequested--;
            StartReload(manual: true, decisions);
        }
        else if (_reloadDueAt is { } reloadAt && reloadAt <= now && !_nodePulling)
        {
            _reloadDueAt = null;
            StartReload(manual: false, decisions);
        }

        return decisions;
    }

    private void ObserveState(FolderInput.StateChanged changed, DateTimeOffset now)
    {
        var isLocal = changed.Side == FolderSide.Local;
        var last = isLocal ? _localStateAt : _nodeStateAt;
        if (changed.At is { } at && last is { } seen && at < seen)
        {
            return;
        }

        var pulling = s_pullingStates.Contains(changed.State);
        if (isLocal)
        {
            _localPulling = pulling;
            _localStateAt = changed.At ?? _localStateAt;
            return;
        }

        _nodePulling = pulling;
        _nodeStateAt = changed.At ?? _nodeStateAt;
        if (changed.State == "error" && Phase != FolderPhase.Reconnecting)
        {
            _rescanDueAt = now + _options.RescanAfterNodeError;
        }
    }

    private void StartReload(bool manual, List<FolderDecision> decisions)
    {
        Phase = FolderPhase.Reloading;
        _reloadingAutomatic = !manual;
        Show(ServiceStatus.Reloading, decisions);
        decisions.Add(new FolderDecision.Reload(manual));
    }

    private void Show(ServiceStatus status, List<FolderDecision> decisions)
    {
        if (_shown != status)
        {
            _shown = status;
            decisions.Add(new FolderDecision.SetStatus(status));
        }
    }
}
