using System.Security.Cryptography;
using System.Threading.Channels;
using Grpc.Core;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.Plugin.Config;
using KSync.Plugin.Syncthing;
using Microsoft.Extensions.Logging;
using RadarProto = KSync.Proto.Radar.V1;

namespace KSync.Plugin.Syncing;

/// <summary>
/// The work of one Service (the original's Folder): gets the node's session (radar and syncthing tunnels, pairing),
/// asks radar where the container's folder lives on the node (<c>GetBasePath</c>), configures the folder on both
/// syncthings with the first-sync rule (a new container gets the local state: DESIGN rule 1), follows syncthing
/// events for status and reload, and on stop removes the folder config on both sides. Folder IDs include the
/// container ID, so a restarted or recreated container is always a new remote and never sends old files back.
/// </summary>
internal sealed partial class Folder : IFolder
{
    /// <summary>Prefix of every folder ID ksync configures; folders with it that no running Folder owns are leftovers.</summary>
    public const string IdPrefix = "ksync-";

    private readonly SpecDetails _spec;
    private readonly RemoteContainer _container;
    private readonly ServiceState _state;
    private readonly FolderContext _context;
    private readonly ILogger _logger;
    private NodeSession? _session;
    private bool _saidFallback;
    private int _reapply;

    /// <summary>Creates the Folder; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="spec">The spec's details.</param>
    /// <param name="container">The container.</param>
    /// <param name="state">The Service's state to update.</param>
    /// <param name="context">What all Folders share.</param>
    public Folder(SpecDetails spec, RemoteContainer container, ServiceState state, FolderContext context)
    {
        _spec = spec;
        _container = container;
        _state = state;
        _context = context;
        _logger = context.Loggers.CreateLogger("KSync.Plugin.Syncing.Folder");
        Id = IdFor(spec, container);
    }

    /// <summary>
    /// Gets the syncthing folder ID of the current set-up: <see cref="IdFor"/> plus <c>-</c> and 6 random letters,
    /// new for every set-up. syncthing drops a removed folder's database in the background, so re-adding the same
    /// ID moments later (after a leftover was removed, or a node was re-established) can leave the new folder
    /// idle with items it never pulls; a fresh ID always starts clean.
    /// </summary>
    public string Id { get; private set; }

    /// <summary>Computes a folder ID.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="container">The container.</param>
    /// <returns>The ID.</returns>
    public static string IdFor(SpecDetails spec, RemoteContainer container)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(container);
        var id = container.RuntimeId;
        return $"{IdPrefix}{spec.Name}-{container.PodName}-{container.ContainerName}-{id[..Math.Min(12, id.Length)]}";
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _state.SetStatus(ServiceStatus.Starting);
        Id = $"{IdFor(_spec, _container)}-{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz", 6)}";
        await using var lease = await _context.Nodes.AcquireAsync(_container.NodeName, cancellationToken);
        var session = lease.Session;
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Broken);
        var resolved = await ResolveAsync(session, running.Token);
        _state.SetResolution(resolved.NodePath, resolved.Backend, resolved.OnVolume);
        Log.Resolved(_logger, _spec.Name, _container.PodName, _spec.RemotePath, resolved.NodePath, resolved.Backend);

        var events = Channel.CreateUnbounded<FolderEvent>(new UnboundedChannelOptions { SingleReader = true });
        _context.SetActive(Id, true);
        using var localEvents = _context.Local.Events.Subscribe(Id, events.Writer);
        using var remoteEvents = session.Events.Subscribe(Id, events.Writer);
        void OnLocalRestart(object? sender, EventArgs e)
        {
            Interlocked.Exchange(ref _reapply, 1);
            events.Writer.TryWrite(Reapply);
        }

        _context.Local.Restarted += OnLocalRestart;
        await using var shared = new SharedFolder(SpecFor(resolved.NodePath), _context.Local.Endpoint, session.Remote, _logger);
        try
        {
            _state.SetStatus(ServiceStatus.Syncing);
            _state.SetInitialSyncPercent(0);
            using (var progress = CancellationTokenSource.CreateLinkedTokenSource(running.Token))
            {
                var reporter = ReportProgressAsync(session, progress.Token);
                await shared.SetUpAsync(running.Token);
                await progress.CancelAsync();
                await reporter;
            }

            _state.SetInitialSyncPercent(100);
            _state.SetLastSync(DateTimeOffset.UtcNow);
            _state.SetStatus(ServiceStatus.Watching);
            Volatile.Write(ref _session, session);
            Log.Syncing(_logger, _spec.Name, _container.PodName, _spec.LocalPath, resolved.NodePath);
            await FollowAsync(shared, session, events.Reader, running.Token);
        }
        catch (OperationCanceledException) when (session.IsBroken && !cancellationToken.IsCancellationRequested)
        {
            throw new KsyncException($"The connection to node {_container.NodeName} broke: {session.BrokenReason}");
        }
        finally
        {
            Volatile.Write(ref _session, null);
            _context.Local.Restarted -= OnLocalRestart;
            await TearDownAsync(shared);
            _context.SetActive(Id, false);
        }
    }

    private static readonly FolderEvent Reapply = new(true, new SyncthingEvent { Type = "ksync.reapply" });

    private SharedFolderSpec SpecFor(string nodePath) => new()
    {
        FolderId = Id,
        Label = $"{_spec.Name} {_container.Namespace}/{_container.PodName}/{_container.ContainerName}",
        LocalPath = _spec.LocalPath,
        RemotePath = nodePath,
        Direction = _spec.LocalReadOnly ? SyncDirection.LocalReadOnly : _spec.RemoteReadOnly ? SyncDirection.RemoteReadOnly : SyncDirection.TwoWay,
    };

    private async Task<RadarProto.GetBasePathResponse> ResolveAsync(NodeSession session, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Radar.GetBasePathAsync(
                new RadarProto.GetBasePathRequest { ContainerId = _container.ContainerId, RemotePath = _spec.RemotePath },
                deadline: DateTime.UtcNow.AddSeconds(15),
                cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is not StatusCode.Cancelled)
        {
            throw new KsyncException($"radar on node {_container.NodeName} could not resolve {_spec.RemotePath} in {_container.ContainerId}: {ex.Status.Detail} ({ex.StatusCode})");
        }
    }

    private async Task ReportProgressAsync(NodeSession session, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_context.Options.ProgressInterval, cancellationToken);
                var local = await _context.Local.Endpoint.Client.GetFolderStatusAsync(Id, cancellationToken);
                var remote = await session.Remote.Client.GetFolderStatusAsync(Id, cancellationToken);
                var total = local.LocalFiles + local.LocalDirectories;
                var done = remote.LocalFiles + remote.LocalDirectories;
                _state.SetInitialSyncPercent(total == 0 ? 99 : Math.Min(99, 100.0 * done / total));
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
        using var bounded = new CancellationTokenSource(_context.Options.TeardownTimeout);
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
