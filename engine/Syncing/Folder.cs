using System.Collections.Concurrent;
using System.Threading.Channels;
using KSync.Config.Model;
using KSync.Engine.FolderEvents;
using KSync.Engine.Nodes;
using KSync.Engine.Status;
using KSync.Syncthing;
using KSync.Syncthing.Events;
using KSync.Syncthing.Folders;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <summary>
/// The work of one Service (the original's Folder): gets the node's session (the link to the node agent, pairing),
/// asks the agent where the container's folder lives on the node, configures the folder on both syncthings with the
/// first-sync rule (a new container gets the local state: docs/architecture.md, "The first-sync rule"), feeds syncthing
/// events to its <see cref="FolderMachine"/> and carries out what it decides (status, re-applying config, rescans,
/// reloads), and on stop removes the folder config on both sides. Its folder ID comes from
/// <see cref="Identity.FolderIdentities.NewSetUpId"/>: new for every set-up, so a restarted or recreated container is
/// always a new remote and never sends old files back.
/// </summary>
public sealed partial class Folder : IFolder
{
    private readonly SpecDetails _spec;
    private readonly RemoteContainer _container;
    private readonly ServiceState _state;
    private readonly FolderContext _context;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<TaskCompletionSource<ReloadOutcome>> _reloadRequests = new();
    private ChannelWriter<FolderInput>? _following;
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
        Id = Identity.FolderIdentities.BaseIdFor(spec, container);
    }

    /// <summary>Gets the syncthing folder ID: the base ID until <see cref="RunAsync"/> starts a set-up, then that set-up's ID.</summary>
    public string Id { get; private set; }

    private DateTimeOffset Now => _context.Time.GetUtcNow();

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _state.SetStatus(ServiceStatus.Starting);
        Id = _context.Identities.NewSetUpId(_spec, _container);
        await using var lease = await _context.Nodes.AcquireAsync(_container.NodeName, cancellationToken);
        var session = lease.Session;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Broken);
        try
        {
            var resolved = await ResolveAsync(session, running.Token);
            _state.SetResolution(resolved.NodePath, resolved.Backend, resolved.OnVolume);
            Log.Resolved(_logger, _spec.Name, _container.PodName, _spec.RemotePath, resolved.NodePath, resolved.Backend);
            await SyncAsync(session, resolved, running.Token);
        }
        catch (OperationCanceledException) when (session.IsBroken && !cancellationToken.IsCancellationRequested)
        {
            throw new SyncEngineException($"The connection to node {_container.NodeName} broke: {session.BrokenReason}");
        }
    }

    private async Task SyncAsync(NodeSession session, ResolvedPath resolved, CancellationToken cancellationToken)
    {
        var inputs = Channel.CreateUnbounded<FolderInput>(new UnboundedChannelOptions { SingleReader = true });
        using var active = _context.Identities.Activate(Id);
        using var localEvents = _context.Local.Events.Subscribe(Id, e => Deliver(inputs.Writer, FolderSide.Local, e));
        using var remoteEvents = session.Events.Subscribe(Id, e => Deliver(inputs.Writer, FolderSide.Node, e));
        void OnLocalRestart(object? sender, EventArgs e) => inputs.Writer.TryWrite(new FolderInput.LocalSyncthingRestarted());
        _context.Local.Restarted += OnLocalRestart;
        await using var shared = new SharedFolder(SpecFor(resolved.NodePath), _context.Local.Endpoint, session.Remote, _logger, _context.Time);
        try
        {
            _state.SetStatus(ServiceStatus.Syncing);
            _state.SetInitialSyncPercent(0);
            using (var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var reporter = ReportProgressAsync(session, progress.Token);
                await shared.SetUpAsync(cancellationToken);
                await progress.CancelAsync();
                await reporter;
            }

            _state.SetInitialSyncPercent(100);
            _state.SetLastSync(Now);
            _state.SetStatus(ServiceStatus.Watching);
            Volatile.Write(ref _following, inputs.Writer);
            Log.Syncing(_logger, _spec.Name, _container.PodName, _spec.LocalPath, resolved.NodePath);
            await FollowAsync(shared, session, inputs.Reader, cancellationToken);
        }
        finally
        {
            StopFollowing(inputs.Writer);
            _context.Local.Restarted -= OnLocalRestart;
            await TearDownAsync(shared);
        }
    }

    private static void Deliver(ChannelWriter<FolderInput> inputs, FolderSide side, SyncthingEvent syncthingEvent)
    {
        if (FolderInput.FromSyncthing(side, syncthingEvent) is { } input)
        {
            inputs.TryWrite(input);
        }
    }

    private SharedFolderSpec SpecFor(string nodePath) => new()
    {
        FolderId = Id,
        Label = $"{_spec.Name} {_container.Namespace}/{_container.PodName}/{_container.ContainerName}",
        LocalPath = _spec.LocalPath,
        RemotePath = nodePath,
        Direction = _spec.LocalReadOnly ? SyncDirection.LocalReadOnly : _spec.RemoteReadOnly ? SyncDirection.RemoteReadOnly : SyncDirection.TwoWay,
    };

    private async Task<ResolvedPath> ResolveAsync(NodeSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Agent.ResolvePathAsync(_container.ContainerId, _spec.RemotePath, cancellationToken);
        }
        catch (NodeAgentException ex)
        {
            throw new SyncEngineException(
                $"radar on node {_container.NodeName} could not resolve {_spec.RemotePath} in {_container.ContainerId}: {ex.Detail} ({ex.Code})",
                innerException: ex);
        }
    }

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

    private async Task TearDownAsync(SharedFolder shared)
    {
        using var bounded = new CancellationTokenSource(_context.Options.TeardownTimeout, _context.Time);
        try
        {
            await shared.TearDownAsync(bounded.Token);
        }
        catch (Exception ex) when (ex is SyncthingException or OperationCanceledException or HttpRequestException)
        {
            // The node side may be gone (pod deleted, session broken); a later session removes what is left.
            Log.TeardownIncomplete(_logger, Id, ex.Message);
        }
    }
}
