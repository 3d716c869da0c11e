using KSync.Engine.Status;

namespace KSync.Engine.FolderEvents;

/// <summary>
/// The rules of a followed folder, as a pure state machine: inputs (<see cref="FolderInput"/>) and the time go in
/// through <see cref="Observe"/>, decisions (<see cref="FolderDecision"/>) come out of <see cref="Decide"/>. It does no
/// I/O and reads no clock; the Folder feeds it and carries the decisions out. Not thread-safe: one Folder loop owns it.
/// <para>The rules (docs/architecture.md, "Reload rules" and "Statuses"):</para>
/// <list type="bullet">
/// <item>Status: <c>syncing</c> while either side is pulling (<c>sync-waiting</c>, <c>sync-preparing</c>,
/// <c>syncing</c>), else <c>watching</c>; <c>reloading</c> while a reload runs.</item>
/// <item>Reload: an item the NODE finished is a local change that landed in the container (a change the container
/// makes itself is a local change of the node's folder and never shows there, so an app writing files cannot trigger
/// reloads). With reload on, a reload is due <see cref="FolderMachineOptions.ReloadDebounce"/> after the last such item,
/// and fires once the node side is not pulling. A requested reload fires at once. After an automatic reload the node
/// side is rescanned.</item>
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
    private DateTimeOffset? _reloadDueAt;
    private DateTimeOffset? _rescanDueAt;
    private DateTimeOffset? _lastSync;
    private bool _reapply;
    private int _reloadsRequested;

    /// <summary>Creates the machine for a folder that was just set up.</summary>
    /// <param name="options">The rules' parameters.</param>
    /// <param name="shown">The status <c>get</c> shows now (what the set-up left: watching).</param>
    public FolderMachine(FolderMachineOptions options, ServiceStatus shown = ServiceStatus.Watching)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _shown = shown;
    }

    /// <summary>Gets the phase.</summary>
    public FolderPhase Phase { get; private set; } = FolderPhase.Following;

    /// <summary>
    /// Gets when <see cref="Decide"/> has something to do even if no input arrives (a reload or rescan falls due), or
    /// null when only an input can change anything. A reload that waits for the node side to stop pulling is not
    /// counted: the state change that ends the pulling is an input.
    /// </summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
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
                var pulling = s_pullingStates.Contains(changed.State);
                if (changed.Side == FolderSide.Local)
                {
                    _localPulling = pulling;
                }
                else
                {
                    _nodePulling = pulling;
                    if (changed.State == "error")
                    {
                        _rescanDueAt = now + _options.RescanAfterNodeError;
                    }
                }

                break;
            case FolderInput.ItemSynced item:
                _lastSync = item.Time ?? now;
                if (item.Side == FolderSide.Node && _options.ReloadEnabled)
                {
                    _reloadDueAt = now + _options.ReloadDebounce;
                    _notices.Add(new FolderDecision.ReloadDue(_reloadDueAt.Value, item.Action, item.Item));
                }

                break;
            case FolderInput.LocalSyncthingRestarted:
                _reapply = true;
                break;
            case FolderInput.ReloadRequested:
                _reloadsRequested++;
                break;
            case FolderInput.RescanFinished rescan:
                if (!rescan.Succeeded)
                {
                    _rescanDueAt = now + _options.RescanRetry;
                }

                break;
            case FolderInput.ReloadFinished reload:
                Phase = FolderPhase.Following;
                if (!reload.Manual)
                {
                    _rescanDueAt = now + _options.RescanAfterReload;
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
        if (_reapply)
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

    private void StartReload(bool manual, List<FolderDecision> decisions)
    {
        Phase = FolderPhase.Reloading;
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
