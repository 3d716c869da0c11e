using System.Collections.Concurrent;
using System.Threading.Channels;
using KSync.Config.Model;
using KSync.Engine.FolderEvents;
using KSync.Engine.Identity;
using KSync.Engine.Latency;
using KSync.Engine.Nodes;
using KSync.Engine.Resilience;
using KSync.Engine.Status;
using KSync.Syncthing.Events;
using KSync.Syncthing.Scanning;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <summary>
/// The work of one Service (the original's Folder): gets the node's session (the link to the node agent, pairing),
/// asks the agent where the container's folder lives on the node, claims the sync's identity
/// (<see cref="FolderIdentities.Claim"/>), decides between a first sync and a resume (<see cref="ResumeRule"/>:
/// docs/architecture.md, "The first-sync rule" and "The resume rule"), records the set-up in the state file before
/// configuring either syncthing, sets the folder up, feeds syncthing events to its <see cref="FolderMachine"/> and
/// carries out what it decides (status, re-applying config, rescans, reloads). When the link to the node breaks it
/// shows reconnecting and resumes on a new session under the same folder ID, with backoff. On stop it leaves both
/// syncthings' folders in place for the next watch; leftovers are the <see cref="LeftoverSweeper"/>'s.
/// </summary>
public sealed partial class Folder : IFolder
{
    private readonly SpecDetails _spec;
    private readonly RemoteContainer _container;
    private readonly ServiceState _state;
    private readonly FolderContext _context;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<TaskCompletionSource<ReloadOutcome>> _reloadRequests = new();
    private readonly SaveToVisible _saveToVisible;
    private readonly Lock _saveToVisibleGate = new();
    private readonly FirstSyncRemovals _removals = new();
    private ChannelWriter<FolderInput>? _following;
    private NodeSession? _followedSession;
    private SyncClaim? _claim;
    private bool _saidFallback;

    /// <summary>Creates the Folder; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="spec">The spec's details.</param>
    /// <param name="container">The container.</param>
    /// <param name="state">The Service's state to update.</param>
    /// <param name="context">What all Folders share.</param>
    public Folder(SpecDetails spec, RemoteContainer container, ServiceState state, FolderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _spec = spec;
        _container = container;
        _state = state;
        _context = context;
        _logger = context.Loggers.CreateLogger("KSync.Engine.Syncing.Folder");
        Id = FolderIdentities.BaseIdFor(spec, container);
        _saveToVisible = new SaveToVisible(context.Time.TimestampFrequency);
    }

    /// <summary>Gets the syncthing folder ID: the base ID until the set-up decided it, then the sync's ID.</summary>
    public string Id { get; private set; }

    private DateTimeOffset Now => _context.Time.GetUtcNow();

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _state.SetStatus(ServiceStatus.Starting);
        var machine = new FolderMachine(
            new FolderMachineOptions { ReloadEnabled = ReloadMode.Of(_spec).IsEnabled, ReloadDebounce = _context.Options.ReloadDebounce, LocalChangesGoOut = !_spec.RemoteReadOnly },
            ServiceStatus.Starting,
            FolderPhase.SettingUp);
        var inputs = Channel.CreateUnbounded<FolderInput>(new UnboundedChannelOptions { SingleReader = true });
        void OnLocalRestart(object? sender, EventArgs e) => inputs.Writer.TryWrite(new FolderInput.LocalSyncthingRestarted());
        _context.Local.Restarted += OnLocalRestart;
        var connected = false;
        var attempt = 0;
        var brokeAt = Now;
        try
        {
            while (true)
            {
                string broke;
                try
                {
                    await using var lease = await _context.Nodes.AcquireAsync(_container.NodeName, cancellationToken);
                    connected = true;
                    (broke, var resumed) = await RunOnSessionAsync(lease.Session, machine, inputs, cancellationToken);
                    if (resumed)
                    {
                        attempt = 0;
                        brokeAt = Now;
                    }
                }
                catch (Exception ex) when (connected && ex is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // Connecting again failed (no ready agent yet, the API away): still reconnecting.
                    broke = ex.Message;
                }

                machine.Observe(new FolderInput.LinkBroken(broke), Now);
                foreach (var decision in machine.Decide(Now))
                {
                    Apply(decision);
                }

                Log.Reconnecting(_logger, _spec.Name, _container.PodName, broke);
                await Task.Delay(ReconnectSchedule.Delay(attempt++, Now - brokeAt, _context.Options.MaxReconnectDelay), _context.Time, cancellationToken);
            }
        }
        finally
        {
            StopFollowing("the sync stopped");
            inputs.Writer.TryComplete();
            _context.Local.Restarted -= OnLocalRestart;
            _claim?.Dispose();
            _context.Sweeper?.Poke();
        }
    }

    /// <summary>Sets up on one session and follows until the session breaks.</summary>
    /// <returns>Why the link broke, and whether the set-up got as far as following.</returns>
    private async Task<(string Reason, bool Resumed)> RunOnSessionAsync(NodeSession session, FolderMachine machine, Channel<FolderInput> inputs, CancellationToken cancellationToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Broken);
        var following = false;
        try
        {
            var resolved = await ResolveAsync(session, running.Token);
            _state.SetResolution(resolved.NodePath, resolved.Backend, resolved.OnVolume);
            Log.Resolved(_logger, _spec.Name, _container.PodName, _spec.RemotePath, resolved.NodePath, resolved.Backend);
            var ownership = await PrepareAsync(session, running.Token);
            await SyncAsync(session, resolved, ownership, machine, inputs, () => following = true, running.Token);
            running.Token.ThrowIfCancellationRequested();
            throw new InvalidOperationException("the sync stopped by itself");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (session.IsBroken || IsLinkFailure(ex)))
        {
            return (session.BrokenReason ?? ex.Message, following);
        }
    }

    // The start of the save→visible measure: the fast path's watcher saw these paths (docs/architecture.md,
    // "Save→visible latency").
    private void MeasureSeen(object? sender, ChangesSeenEventArgs e)
    {
        lock (_saveToVisibleGate)
        {
            foreach (var (path, seen) in e.Paths)
            {
                _saveToVisible.Seen(path, seen);
            }
        }
    }

    // A reported path counts once the local scan found it changed.
    private void MeasureConfirmed(SyncthingEvent syncthingEvent)
    {
        if (syncthingEvent.Type == "LocalChangeDetected" && syncthingEvent.DataString("path") is { } path)
        {
            lock (_saveToVisibleGate)
            {
                _saveToVisible.Confirmed(path);
            }
        }
    }

    // Its end: watch received the node syncthing's ItemFinished for the path, on the same clock.
    private void MeasureLanded(SyncthingEvent syncthingEvent)
    {
        if (syncthingEvent.Type != "ItemFinished" || syncthingEvent.DataString("error") is not null || syncthingEvent.DataString("item") is not { } item)
        {
            return;
        }

        var now = _context.Time.GetTimestamp();
        LatencySummary? summary = null;
        lock (_saveToVisibleGate)
        {
            if (_saveToVisible.Landed(item, now) is not null)
            {
                summary = _saveToVisible.Summary();
            }
        }

        if (summary is not null)
        {
            _state.SetLatency(summary);
        }
    }

    private void Deliver(ChannelWriter<FolderInput> inputs, FolderSide side, SyncthingEvent syncthingEvent)
    {
        if (_removals.Take(side, syncthingEvent) is { } removed)
        {
            // docs/architecture.md, "The seed": nothing disappears silently.
            _state.CountFirstSyncRemoved();
            Log.FirstSyncRemoved(_logger, _spec.Name, _container.PodName, removed);
        }

        if (FolderInput.FromSyncthing(side, syncthingEvent) is { } input)
        {
            inputs.TryWrite(input);
        }
    }

    /// <summary>
    /// Has radar give the folder its owner before the node syncthing writes into it (docs/architecture.md, "Files land
    /// usable"). A node that cannot chown there is one warning on the service, not an error: files still sync.
    /// </summary>
    private async Task<FolderOwnership> PrepareAsync(NodeSession session, CancellationToken cancellationToken)
    {
        (uint, uint?)? requested = SpecOwner.TryParse(_spec.Owner, out var owner) ? (owner.Uid, owner.Gid) : null;
        var mode = !OperatingSystem.IsWindows() && Directory.Exists(_spec.LocalPath) ? File.GetUnixFileMode(_spec.LocalPath) & (UnixFileMode)0x1FF : (UnixFileMode)0x1ED;
        FolderOwnership ownership;
        try
        {
            ownership = await session.Agent.PrepareFolderAsync(_container.ContainerId, _spec.RemotePath, requested, mode, dryRun: false, cancellationToken);
        }
        catch (NodeAgentException ex) when (!IsLinkFailure(ex))
        {
            throw new SyncEngineException(
                $"radar on node {_container.NodeName} could not prepare {_spec.RemotePath} in {_container.ContainerId}: {ex.Detail} ({ex.Code})",
                innerException: ex);
        }

        Log.Owned(_logger, _spec.Name, _container.PodName, _spec.RemotePath, ownership.Owner, ownership.Reason, ownership.Created);
        var warning = ownership.ChownError is { } error
            ? $"the node cannot give files in {_spec.RemotePath} the owner {ownership.Owner} ({error}); they sync, owned as the node's syncthing writes them. Use a volume that allows chown, or --owner with the volume's owner."
            : null;
        if (warning is not null && warning != _state.Snapshot.Warning)
        {
            Log.OwnerNotSet(_logger, _spec.Name, _container.PodName, warning);
        }

        _state.SetWarning(warning);
        return ownership;
    }

    private async Task<ResolvedPath> ResolveAsync(NodeSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Agent.ResolvePathAsync(_container.ContainerId, _spec.RemotePath, cancellationToken);
        }
        catch (NodeAgentException ex) when (!IsLinkFailure(ex))
        {
            throw new SyncEngineException(
                $"radar on node {_container.NodeName} could not resolve {_spec.RemotePath} in {_container.ContainerId}: {ex.Detail} ({ex.Code})",
                innerException: ex);
        }
    }
}
