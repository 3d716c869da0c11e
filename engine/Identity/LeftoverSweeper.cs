using KSync.Config.Model;
using KSync.Engine.Nodes;
using KSync.Engine.Syncing;
using KSync.Syncthing;
using KSync.Syncthing.Devices;
using KSync.Syncthing.Folders;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Identity;

/// <summary>
/// Removes leftovers (docs/architecture.md, "Leftovers"): judges every record no running Folder claims with
/// <see cref="LeftoverRule"/> (asking the API about its pod through <see cref="IPodLookup"/>), forgets the leftovers in
/// the state file, and removes their folders from the local syncthing (with ksync's block of the local
/// <c>.stignore</c>) and from the node syncthing when a session to the node is open (otherwise the next session
/// removes it: a folder the state does not know is a leftover). Runs a sweep shortly after each
/// <see cref="Poke"/> (specs applied, a Folder stopped) and every <see cref="Interval"/>, but not before the specs are
/// known (<see cref="SetSpecs"/>).
/// </summary>
public sealed partial class LeftoverSweeper : IAsyncDisposable
{
    /// <summary>Time between sweeps without pokes: 30 s (a pod deleted after its Folder stopped is found then).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Quiet time after a poke before sweeping, so a burst of stops gives one sweep: 200 ms.</summary>
    public static readonly TimeSpan PokeDelay = TimeSpan.FromMilliseconds(200);

    private readonly FolderIdentities _identities;
    private readonly SyncEndpoint _local;
    private readonly NodeSessionPool _nodes;
    private readonly IPodLookup _pods;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _poked = new(0);
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyDictionary<string, SpecDetails>? _specs;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the sweeper; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="identities">The records.</param>
    /// <param name="local">The local syncthing.</param>
    /// <param name="nodes">The node sessions (only open ones are used).</param>
    /// <param name="pods">Asks the API about pods.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock of the waits.</param>
    public LeftoverSweeper(FolderIdentities identities, SyncEndpoint local, NodeSessionPool nodes, IPodLookup pods, ILogger logger, TimeProvider time)
    {
        _identities = identities;
        _local = local;
        _nodes = nodes;
        _pods = pods;
        _logger = logger;
        _time = time;
    }

    /// <summary>Sets the specs of ksync.yaml (after every change) and sweeps soon.</summary>
    /// <param name="specs">The specs.</param>
    public void SetSpecs(IEnumerable<SpecDetails> specs)
    {
        var byName = new Dictionary<string, SpecDetails>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            byName.TryAdd(spec.Name, spec);
        }

        Volatile.Write(ref _specs, byName);
        Poke();
    }

    /// <summary>Asks for a sweep soon (a Folder stopped, so its record may now be a leftover).</summary>
    public void Poke() => _poked.Release();

    /// <summary>Starts sweeping in the background.</summary>
    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>Sweeps once now.</summary>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>The records forgotten; nothing while the specs are not known.</returns>
    public async Task<IReadOnlyList<SyncRecord>> SweepAsync(CancellationToken cancellationToken)
    {
        var specs = Volatile.Read(ref _specs);
        if (specs is null)
        {
            return [];
        }

        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in _identities.Records.Where(r => !_identities.IsActive(r.FolderId)))
        {
            var why = LeftoverRule.Judge(record, _local.DeviceId, specs, null) ?? LeftoverRule.Judge(record, _local.DeviceId, specs, await LookUpAsync(record, cancellationToken));
            if (why is not null)
            {
                reasons[record.FolderId] = why;
            }
        }

        var forgotten = reasons.Count == 0 ? [] : _identities.Forget(reasons.Keys);
        foreach (var record in forgotten)
        {
            Log.Leftover(_logger, record.FolderId, reasons[record.FolderId]);
            await RemoveAsync(record, cancellationToken);
        }

        return forgotten;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _poked.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(Interval);
            try
            {
                await _poked.WaitAsync(wait.Token);
                await Task.Delay(PokeDelay, _time, cancellationToken);
                while (_poked.CurrentCount > 0)
                {
                    await _poked.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The interval passed without a poke.
            }

            try
            {
                await SweepAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is SyncthingException or IOException or HttpRequestException)
            {
                Log.SweepFailed(_logger, ex.Message);
            }
        }
    }

    private async Task<PodPresence?> LookUpAsync(SyncRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return await _pods.LookUpAsync(record.Namespace, record.Pod, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Silence is not knowledge: the record stays.
            Log.LookupFailed(_logger, record.Namespace, record.Pod, ex.Message);
            return null;
        }
    }

    private async Task RemoveAsync(SyncRecord record, CancellationToken cancellationToken)
    {
        await _local.Client.RemoveFolderAsync(record.FolderId, cancellationToken);
        if (!_identities.Records.Any(r => r.LocalPath == record.LocalPath))
        {
            SharedFolder.RemoveLocalIgnoreBlock(record.LocalPath);
        }

        try
        {
            await _nodes.WithOpenSessionAsync(record.Node, (session, ct) => session.Remote.Client.RemoveFolderAsync(record.FolderId, ct), cancellationToken);
        }
        catch (Exception ex) when (ex is SyncthingException or ObjectDisposedException)
        {
            // The session went away meanwhile; the next one removes the folder (the state no longer knows it).
            Log.NodeRemovalDeferred(_logger, record.FolderId, record.Node, ex.Message);
        }
    }
}
