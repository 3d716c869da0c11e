using System.Net.Sockets;
using System.Threading.Channels;
using KSync.Engine.FolderEvents;
using KSync.Engine.Identity;
using KSync.Engine.Nodes;
using KSync.Engine.Seeding;
using KSync.Engine.Status;
using KSync.Syncthing;
using KSync.Syncthing.Folders;

namespace KSync.Engine.Syncing;

/// <content>
/// Setting the folder up on one session: claim the identity, decide first sync or resume, record the set-up in the
/// state file (before either syncthing is touched), configure both sides, and hand over to following.
/// </content>
public sealed partial class Folder
{
    private async Task SyncAsync(NodeSession session, ResolvedPath resolved, FolderOwnership ownership, FolderMachine machine, Channel<FolderInput> inputs, Action following, CancellationToken cancellationToken)
    {
        var local = _context.Local.Endpoint;
        var key = new SyncKey(_spec.Name, local.DeviceId, _spec.LocalPath, _container.NodeName, resolved.NodePath, resolved.OnVolume ? string.Empty : _container.ContainerId);
        if (_claim?.Key != key)
        {
            _claim?.Dispose();
            _claim = null;
            _claim = _context.Identities.Claim(key);
        }

        var record = _claim.CurrentRecord;
        var localHolds = record is not null && await local.Client.GetFolderAsync(record.FolderId, cancellationToken) is not null;
        var nodeHolds = record is not null && await session.Remote.Client.GetFolderAsync(record.FolderId, cancellationToken) is not null;
        var decision = ResumeRule.Decide(record, localHolds, nodeHolds);
        Id = decision.NewFolderId || record is null ? _context.Identities.NewFolderId(_spec, _container) : record.FolderId;
        _claim.Record(new SyncRecord
        {
            FolderId = Id,
            Spec = _spec.Name,
            Namespace = _container.Namespace,
            Pod = _container.PodName,
            PodUid = _container.PodUid,
            Container = _container.ContainerName,
            ContainerId = _container.ContainerId,
            Node = _container.NodeName,
            NodePath = resolved.NodePath,
            OnVolume = resolved.OnVolume,
            RemotePath = _spec.RemotePath,
            LocalPath = _spec.LocalPath,
            LocalDeviceId = local.DeviceId,
            RemoteDeviceId = session.Remote.DeviceId,
            Direction = Direction,
            SetUpAt = record is not null && !decision.NewFolderId ? record.SetUpAt : Now,
            SyncedAt = record is not null && !decision.NewFolderId ? record.SyncedAt : null,
        });
        if (record is not null && decision.NewFolderId)
        {
            await RetireAsync(record.FolderId, session, cancellationToken);
        }

        Log.SetUpDecided(_logger, _spec.Name, _container.PodName, Id, decision.Mode, decision.Why);
        _removals.Close();
        using var localEvents = _context.Local.Events.Subscribe(Id, e =>
        {
            MeasureConfirmed(e);
            Deliver(inputs.Writer, FolderSide.Local, e);
        });
        using var remoteEvents = session.Events.Subscribe(Id, e =>
        {
            MeasureLanded(e);
            Deliver(inputs.Writer, FolderSide.Node, e);
        });
        await using var shared = new SharedFolder(SpecFor(resolved.NodePath, remoteCopiesOwner: ownership.ChownError is null), local, session.Remote, _logger, _context.Time)
        {
            BeforeRemoteFirstSync = _context.Options.Seed ? (ignores, token) => SeedAsync(session, ignores, inputs.Writer, token) : null,
        };
        shared.LocalChangesSeen += MeasureSeen;
        if (decision.Mode == SetUpMode.FirstSync)
        {
            // Closed again when the follow loop takes in SetUpDone, so node deletions that arrive after the set-up
            // returned but belong to its revert still count.
            _removals.Open();
            await FirstSyncAsync(shared, session, cancellationToken);
        }
        else
        {
            await shared.SetUpAsync(SetUpMode.Resume, cancellationToken);
        }

        _claim.MarkSynced(Now);
        _state.SetInitialSyncPercent(100);
        inputs.Writer.TryWrite(new FolderInput.SetUpDone());
        await ReadStatesAsync(session, inputs.Writer, cancellationToken);
        Volatile.Write(ref _followedSession, session);
        Volatile.Write(ref _following, inputs.Writer);
        following();
        Log.Syncing(_logger, _spec.Name, _container.PodName, _spec.LocalPath, resolved.NodePath);
        try
        {
            await FollowAsync(shared, session, machine, inputs.Reader, cancellationToken);
        }
        finally
        {
            StopFollowing(session.IsBroken ? "the link to the node broke; the sync is reconnecting" : "the sync stopped");
        }
    }

    private async Task FirstSyncAsync(SharedFolder shared, NodeSession session, CancellationToken cancellationToken)
    {
        _state.SetStatus(ServiceStatus.Syncing);
        _state.SetInitialSyncPercent(0);
        using (var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var reporter = ReportProgressAsync(session, progress.Token);
            try
            {
                await shared.SetUpAsync(SetUpMode.FirstSync, cancellationToken);
            }
            finally
            {
                await progress.CancelAsync();
                await reporter;
            }
        }

        _state.SetLastSync(Now);
    }

    /// <summary>
    /// Seeds the container's folder through the node agent before the node syncthing is told about it
    /// (docs/architecture.md, "The seed"). The seed only saves time: when the agent refuses it or the local folder cannot
    /// be read, the first sync goes on and syncthing sends everything; a broken link is a link failure as anywhere.
    /// The seed's progress is the initial sync's until syncthing's counts pass it (never 100 before the set-up is done);
    /// what it wrote goes to the folder's machine as <see cref="FolderInput.Seeded"/>, since no node item events follow
    /// for it (a reload is due after the first sync, as when syncthing had brought the files).
    /// </summary>
    private async Task SeedAsync(NodeSession session, IReadOnlyList<string> ignores, ChannelWriter<FolderInput> inputs, CancellationToken cancellationToken)
    {
        Log.SeedStarted(_logger, _spec.Name, _container.PodName, _spec.LocalPath);
        var shown = new SeedProgressThrottle(_context.Time, SeedProgressThrottle.DefaultInterval);
        try
        {
            var outcome = await FolderSeeder.SeedAsync(session.Agent, _container.ContainerId, _spec.RemotePath, _spec.LocalPath, ignores, p => ShowSeedProgress(p, shown), cancellationToken);
            var written = outcome.Written;
            inputs.TryWrite(new FolderInput.Seeded(written.Files + written.Directories + written.Symlinks, Removed: 0, Now));
            Log.Seeded(_logger, _spec.Name, _container.PodName, outcome.Entries, outcome.Sent, written.Files, written.Bytes, written.Skipped.Count, outcome.Elapsed.TotalSeconds);
        }
        catch (NodeAgentException ex) when (!IsLinkFailure(ex))
        {
            Log.SeedFailed(_logger, _spec.Name, _container.PodName, $"{ex.Detail} ({ex.Code})");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // ArgumentException: an ignore pattern the matcher cannot read; syncthing reports that file itself.
            Log.SeedFailed(_logger, _spec.Name, _container.PodName, ex.Message);
        }
        finally
        {
            _state.SetSeed(null);
        }
    }

    private void ShowSeedProgress(SeedProgress progress, SeedProgressThrottle shown)
    {
        if (!shown.ShouldShow(progress))
        {
            return;
        }

        _state.SetSeed(progress);
        var percent = Math.Min(99, progress.Percent);
        if (percent > _state.Snapshot.InitialSyncPercent)
        {
            _state.SetInitialSyncPercent(percent);
        }
    }

    /// <summary>Feeds both sides' current folder states in, so the status is right even when no event follows the set-up.</summary>
    private async Task ReadStatesAsync(NodeSession session, ChannelWriter<FolderInput> inputs, CancellationToken cancellationToken)
    {
        var local = await _context.Local.Endpoint.Client.GetFolderStatusAsync(Id, cancellationToken);
        var remote = await session.Remote.Client.GetFolderStatusAsync(Id, cancellationToken);
        inputs.TryWrite(new FolderInput.StateChanged(FolderSide.Local, local.State, local.StateChanged == default ? null : local.StateChanged));
        inputs.TryWrite(new FolderInput.StateChanged(FolderSide.Node, remote.State, remote.StateChanged == default ? null : remote.StateChanged));
    }

    /// <summary>Removes a folder ID the sync no longer uses (it starts over under a new one) from both sides, best effort.</summary>
    private async Task RetireAsync(string folderId, NodeSession session, CancellationToken cancellationToken)
    {
        try
        {
            await _context.Local.Endpoint.Client.RemoveFolderAsync(folderId, cancellationToken);
            await session.Remote.Client.RemoveFolderAsync(folderId, cancellationToken);
        }
        catch (SyncthingException ex)
        {
            // The state no longer knows it, so the next session or watch start removes it.
            Log.RetireFailed(_logger, folderId, ex.Message);
        }
    }

    private SyncDirection Direction => _spec.LocalReadOnly ? SyncDirection.LocalReadOnly : _spec.RemoteReadOnly ? SyncDirection.RemoteReadOnly : SyncDirection.TwoWay;

    private SharedFolderSpec SpecFor(string nodePath, bool remoteCopiesOwner) => new()
    {
        RemoteCopiesOwner = remoteCopiesOwner,
        FolderId = Id,
        Label = $"{_spec.Name} {_container.Namespace}/{_container.PodName}/{_container.ContainerName}",
        LocalPath = _spec.LocalPath,
        RemotePath = nodePath,
        Direction = Direction,
    };

    private async Task ReportProgressAsync(NodeSession session, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_context.Options.ProgressInterval, _context.Time, cancellationToken);
                var local = await _context.Local.Endpoint.Client.GetFolderStatusAsync(Id, cancellationToken);
                var remote = await session.Remote.Client.GetFolderStatusAsync(Id, cancellationToken);
                if (local.State != "idle")
                {
                    // Until the local scan is done its counts are partial (0 at first): a percentage of them would
                    // jump to 99 and back.
                    continue;
                }

                var total = local.LocalFiles + local.LocalDirectories;
                var done = remote.LocalFiles + remote.LocalDirectories;
                var percent = total == 0 ? 99 : Math.Min(99, 100.0 * done / total);

                // Never backwards: the remote's own files count as done until the first sync reverts them.
                _state.SetInitialSyncPercent(Math.Max(percent, _state.Snapshot.InitialSyncPercent));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SyncthingException)
            {
                // The folder may not exist yet on one side; the next tick reads again.
            }
        }
    }

    /// <summary>
    /// Tells whether a failure means the way to a syncthing or the node agent is down (no answer at all), as opposed to
    /// an answer that refuses: the first is waited out by reconnecting, the second is an error.
    /// </summary>
    private static bool IsLinkFailure(Exception ex) => ex switch
    {
        SyncthingException { Endpoint: not null, StatusCode: null } => true,
        NodeAgentException agent => agent.Code is "Unavailable" or "DeadlineExceeded" or "Unknown" or "Internal" or "Aborted",
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        _ => false,
    };
}
