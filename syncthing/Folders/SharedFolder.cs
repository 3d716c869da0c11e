using KSync.Syncthing.Client;
using KSync.Syncthing.Devices;
using KSync.Syncthing.Scanning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Syncthing.Folders;

/// <summary>
/// One folder synced between two syncthings (the local one and a node's), both driven through their REST APIs:
/// configures the folder on both sides with the types of its <see cref="SyncDirection"/>, applies the ignores on both
/// sides before their first scans, makes the local folder the source of truth on a first sync (docs/architecture.md,
/// "The first-sync rule"; see <c>SharedFolder.FirstSync.cs</c>) or merges both sides on a resume ("The resume rule"),
/// runs the fast path (<see cref="ScanTrigger"/>), and reports status. The folder stays configured when this object is
/// disposed (the next set-up resumes it); <see cref="TearDownAsync"/> removes it. Devices must already be paired (<see cref="DevicePairing"/>). No call restarts syncthing.
/// Lifecycle: <see cref="SetUpAsync"/> → (<see cref="ReapplyAsync"/> after a syncthing restart) → <see cref="TearDownAsync"/>.
/// </summary>
public sealed partial class SharedFolder : IAsyncDisposable
{
    private readonly SyncEndpoint _local;
    private readonly SyncEndpoint _remote;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _ignoreGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private ScanTrigger? _trigger;
    private volatile bool _seeding;
    private int _disposed;

    /// <summary>Creates the folder object; nothing is configured until <see cref="SetUpAsync"/>.</summary>
    /// <param name="spec">What to sync.</param>
    /// <param name="local">The local syncthing.</param>
    /// <param name="remote">The remote syncthing (e.g. through a tunnel).</param>
    /// <param name="logger">Logger; null for none.</param>
    /// <param name="timeProvider">Clock for polling and debounce; null for the system clock.</param>
    public SharedFolder(SharedFolderSpec spec, SyncEndpoint local, SyncEndpoint remote, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        Spec = spec;
        _local = local;
        _remote = remote;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets what is synced.</summary>
    public SharedFolderSpec Spec { get; }

    /// <summary>Gets the folder types on each side once set up (after the first sync).</summary>
    public FolderTypes Types => FolderTypes.For(Spec.Direction);

    /// <summary>
    /// Raised for each batch of local changes the fast path has syncthing scan (<see cref="ScanTrigger.ChangesSeen"/>),
    /// whichever trigger runs at the time.
    /// </summary>
    public event EventHandler<ChangesSeenEventArgs>? LocalChangesSeen;

    /// <summary>Gets the fast-path trigger while it runs, or null.</summary>
    public ScanTrigger? Trigger => _trigger;

    /// <summary>
    /// Gets or sets what runs on a first sync once the local folder and its ignores are configured and before the remote
    /// is told about the folder: it may give the remote its first copy another way (ksync's seed through the node agent,
    /// docs/architecture.md "The seed"), so the remote's first scan finds the files in place and nothing is sent again.
    /// It gets the ignore patterns the local syncthing applies (<c>#include</c> expanded). Null: nothing runs.
    /// </summary>
    public Func<IReadOnlyList<string>, CancellationToken, Task>? BeforeRemoteFirstSync { get; set; }

    /// <summary>Gets a value indicating whether a first sync is still giving the remote its first copy.</summary>
    public bool IsSeeding => _seeding;

    /// <summary>
    /// Configures the folder on both sides and starts the fast path. <see cref="SetUpMode.FirstSync"/>: the remote
    /// starts receiveonly, has its own changes reverted until it holds the local state, and only then takes its
    /// configured type (files already on the remote never replace local ones). <see cref="SetUpMode.Resume"/>: both
    /// sides take their configured types at once and merge. Either way a remote that does not have the folder yet gets
    /// it paused, with its ignores in place before its first scan.
    /// </summary>
    /// <param name="mode">First sync or resume.</param>
    /// <param name="cancellationToken">Cancels the set-up (what was configured stays; call <see cref="TearDownAsync"/> to remove it).</param>
    /// <returns>A task that completes when the folder syncs (for a first sync: after the remote holds the local state).</returns>
    /// <exception cref="SyncthingException">The local folder is missing, a REST call failed, or the first sync timed out.</exception>
    public async Task SetUpAsync(SetUpMode mode, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Spec.MaxConflicts <= 0)
        {
            throw new SyncthingException($"maxConflicts must be more than 0 for folder {Spec.FolderId}, got {Spec.MaxConflicts}: ksync never drops one side of a conflict.");
        }

        if (!Directory.Exists(Spec.LocalPath))
        {
            throw new SyncthingException($"The local folder {Spec.LocalPath} does not exist.", "Create it, or fix the spec's local path.");
        }

        var remoteHolds = await _remote.Client.GetFolderAsync(Spec.FolderId, cancellationToken) is not null;
        var seeding = mode == SetUpMode.FirstSync;
        await ConfigureAsync(seeding ? Types.Seeding : Types, pauseRemote: !remoteHolds, seeding ? BeforeRemoteFirstSync : null, cancellationToken);
        if (Spec.FastPath && Types.Local != FolderType.ReceiveOnly)
        {
            StartTrigger();
        }

        if (seeding)
        {
            await SeedAsync(cancellationToken);
        }
        else
        {
            await RevertReadOnlyRemoteAsync(cancellationToken);
        }

        Log.SetUp(_logger, Spec.FolderId, seeding ? "first sync" : "resume", Spec.LocalPath, Spec.RemotePath, Types.Local, Types.Remote);
    }

    /// <summary>
    /// Applies the folder's config and ignores again on both sides, e.g. after the local syncthing restarted: each side
    /// its configured type (resume semantics; a remote that lost the folder gets it back paused until its ignores are in
    /// place, and its files merge).
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both sides are configured.</returns>
    /// <exception cref="SyncthingException">A REST call failed.</exception>
    public async Task ReapplyAsync(CancellationToken cancellationToken)
    {
        var remoteHolds = await _remote.Client.GetFolderAsync(Spec.FolderId, cancellationToken) is not null;
        await ConfigureAsync(Types, pauseRemote: !remoteHolds, beforeRemote: null, cancellationToken);
    }

    /// <summary>
    /// Stops the fast path, removes the folder from both syncthings (the files stay), and removes ksync's block from
    /// the local <c>.stignore</c> (deleting the file when ksync created it).
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both configs are saved.</returns>
    /// <exception cref="SyncthingException">A REST call failed.</exception>
    public async Task TearDownAsync(CancellationToken cancellationToken)
    {
        await StopTriggerAsync();
        await _local.Client.RemoveFolderAsync(Spec.FolderId, cancellationToken);
        await _remote.Client.RemoveFolderAsync(Spec.FolderId, cancellationToken);
        RemoveLocalIgnoreBlock(Spec.LocalPath);
        Log.TornDown(_logger, Spec.FolderId);
    }

    /// <summary>Stops the fast path; the folder stays configured (use <see cref="TearDownAsync"/> to remove it).</summary>
    /// <returns>A task that completes when the watcher stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync();
        await StopTriggerAsync();
        _lifetime.Dispose();
    }

    private async Task ConfigureAsync(FolderTypes types, bool pauseRemote, Func<IReadOnlyList<string>, CancellationToken, Task>? beforeRemote, CancellationToken cancellationToken)
    {
        var ignoreLines = WriteLocalIgnoreFile();
        await _local.Client.AddFolderAsync(Configuration(_local, Spec.LocalPath, types.Local, paused: false), cancellationToken);
        await ApplyLocalIgnoresAsync(ignoreLines, cancellationToken);
        if (beforeRemote is not null)
        {
            await beforeRemote(await LocalIgnorePatternsAsync(cancellationToken), cancellationToken);
        }

        // A remote new to the folder starts paused so its ignores are in place before its first scan: an ignored file
        // it holds (node_modules in the image) must not look like a change that a first sync would revert or a resume
        // would send.
        await _remote.Client.AddFolderAsync(Configuration(_remote, Spec.RemotePath, types.Remote, paused: pauseRemote), cancellationToken);
        await ApplyRemoteIgnoresAsync(cancellationToken);
        if (pauseRemote)
        {
            await _remote.Client.PatchFolderAsync(Spec.FolderId, new FolderConfiguration { Paused = false }, cancellationToken);
        }
    }

    /// <summary>The folder root as its own marker (see <see cref="FolderConfiguration.MarkerName"/>).</summary>
    private const string RootMarker = ".";

    private FolderConfiguration Configuration(SyncEndpoint side, string path, string type, bool paused) => new()
    {
        Id = Spec.FolderId,
        Label = Spec.Label ?? Spec.FolderId,
        Path = path,
        Type = type,
        Devices = [new() { DeviceId = _local.DeviceId }, new() { DeviceId = _remote.DeviceId }],
        RescanIntervalS = Spec.RescanIntervalS,
        FsWatcherEnabled = true,
        FsWatcherDelayS = side.Capabilities.WatcherDelaySeconds(Spec.WatcherDelay ?? side.Capabilities.MinimumWatcherDelay),
        MaxConflicts = Spec.MaxConflicts,
        IgnorePerms = false,
        Paused = paused,
        PullerDelayS = side.Capabilities.HasPullerDelay ? 0 : null,
        MarkerName = RootMarker,
        CopyOwnershipFromParent = ReferenceEquals(side, _remote) ? Spec.RemoteCopiesOwner : null,
    };

    private void StartTrigger()
    {
        if (_trigger is not null)
        {
            return;
        }

        var client = _local.Client;
        var folderId = Spec.FolderId;
        var trigger = new ScanTrigger(Spec.LocalPath, (subs, token) => client.ScanAsync(folderId, subs, token), Spec.Debounce, _logger, _time);
        trigger.IgnoreFilesChanged += (_, _) => _ = ReapplyIgnoresQuietlyAsync();
        trigger.ChangesSeen += (_, e) => LocalChangesSeen?.Invoke(this, e);
        trigger.Start();
        _trigger = trigger;
    }

    private async Task StopTriggerAsync()
    {
        var trigger = Interlocked.Exchange(ref _trigger, null);
        if (trigger is not null)
        {
            await trigger.DisposeAsync();
        }
    }
}
