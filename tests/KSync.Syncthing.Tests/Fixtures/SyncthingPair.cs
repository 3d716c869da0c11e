using KSync.Syncthing.Devices;
using KSync.Syncthing.Folders;

namespace KSync.Syncthing.Tests.Fixtures;

/// <summary>
/// Two real syncthings on loopback ("local" and "remote", as the plugin and a node would be), paired with explicit
/// <c>tcp://127.0.0.1:PORT</c> addresses and connected. Use as a class fixture; folders use unique IDs so tests
/// sharing a pair do not interfere.
/// </summary>
public sealed class SyncthingPair : IAsyncLifetime
{
    private int _folderCount;

    /// <summary>Gets the local side.</summary>
    public SyncthingNode Local { get; private set; } = null!;

    /// <summary>Gets the remote side.</summary>
    public SyncthingNode Remote { get; private set; } = null!;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        Local = await SyncthingNode.StartAsync("ksync-local", timeout.Token);
        Remote = await SyncthingNode.StartAsync("node-remote", timeout.Token);
        await DevicePairing.PairAsync(Local.Endpoint, Remote.Endpoint, Remote.Process.ListenAddress, Local.Process.ListenAddress, timeout.Token);
        await DevicePairing.WaitConnectedAsync(Local.Endpoint, Remote.Endpoint.DeviceId, TimeSpan.FromSeconds(30), timeout.Token);
    }

    /// <summary>Creates a spec with a unique folder ID and fresh folders on both sides.</summary>
    /// <param name="direction">Direction.</param>
    /// <param name="configure">Changes to the spec, or null.</param>
    /// <returns>The spec.</returns>
    internal SharedFolderSpec NewSpec(SyncDirection direction = SyncDirection.TwoWay, Func<SharedFolderSpec, SharedFolderSpec>? configure = null)
    {
        var id = $"f{Interlocked.Increment(ref _folderCount)}-{Guid.NewGuid():N}"[..16];
        var spec = new SharedFolderSpec
        {
            FolderId = id,
            LocalPath = Local.DataPath(id),
            RemotePath = Remote.DataPath(id),
            Direction = direction,
        };
        return configure is null ? spec : configure(spec);
    }

    /// <summary>Creates the folder object for <paramref name="spec"/> between the two sides.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The folder (not set up yet).</returns>
    internal SharedFolder NewFolder(SharedFolderSpec spec) => new(spec, Local.Endpoint, Remote.Endpoint);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Local is not null)
        {
            await Local.DisposeAsync();
        }

        if (Remote is not null)
        {
            await Remote.DisposeAsync();
        }
    }
}
