using KSync.Syncthing.Client;

namespace KSync.Syncthing.Devices;

/// <summary>
/// Makes two syncthings know each other (syncthing REST: <c>POST /rest/config/devices</c> on both sides) with explicit
/// addresses, since discovery and relays are off: the local side dials the remote at the address given (for a node,
/// the local end of a tunnel, e.g. <c>tcp://127.0.0.1:PORT</c>). Connecting takes about 20 ms after the POST.
/// </summary>
public static class DevicePairing
{
    /// <summary>
    /// Adds each device to the other's config (replacing an older entry with the same ID). When the remote cannot dial
    /// the local side (no <paramref name="localAddress"/>: a node session), the remote learns the local device first:
    /// the local side dials as soon as it knows the remote, a remote that does not know the local device yet closes that
    /// connection, and syncthing dials again only seconds later (measured: 5 s of a node session's start). When both
    /// can dial, the local side learns the remote first, as before that change: with the remote first, a clean-clone CI
    /// run saw two such syncthings stay unconnected for 30 s (the remote's early dial refused by the local side).
    /// </summary>
    /// <param name="local">The local side.</param>
    /// <param name="remote">The remote side.</param>
    /// <param name="remoteAddress">Where the local side dials the remote, e.g. <c>tcp://127.0.0.1:22001</c>.</param>
    /// <param name="localAddress">Where the remote may dial the local side, or null when it cannot (it then only accepts).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both configs are saved.</returns>
    /// <exception cref="SyncthingException">A call failed.</exception>
    public static async Task PairAsync(SyncEndpoint local, SyncEndpoint remote, string remoteAddress, string? localAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentException.ThrowIfNullOrEmpty(remoteAddress);
        if (localAddress is null)
        {
            await remote.Client.AddDeviceAsync(Device(local, ["dynamic"]), cancellationToken);
            await local.Client.AddDeviceAsync(Device(remote, [remoteAddress]), cancellationToken);
        }
        else
        {
            await local.Client.AddDeviceAsync(Device(remote, [remoteAddress]), cancellationToken);
            await remote.Client.AddDeviceAsync(Device(local, [localAddress]), cancellationToken);
        }
    }

    /// <summary>Waits until the local side reports a connection to the remote device (<c>GET /rest/system/connections</c>).</summary>
    /// <param name="local">The local side.</param>
    /// <param name="remoteDeviceId">The remote device.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when connected.</returns>
    /// <exception cref="SyncthingException">Not connected within <paramref name="timeout"/>.</exception>
    public static async Task WaitConnectedAsync(SyncEndpoint local, string remoteDeviceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var connections = await local.Client.GetConnectionsAsync(deadline.Token);
                if (connections.Connections.TryGetValue(remoteDeviceId, out var connection) && connection.Connected)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SyncthingException(
                $"{local.Name} did not connect to device {remoteDeviceId} within {timeout.TotalSeconds:0.#} s.",
                "Check that the remote syncthing's sync port is reachable (tunnel up) and that both devices list each other.");
        }
    }

    /// <summary>Removes each device from the other's config; devices not configured are skipped.</summary>
    /// <param name="local">The local side.</param>
    /// <param name="remote">The remote side.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>A task that completes when both configs are saved.</returns>
    /// <exception cref="SyncthingException">A call failed.</exception>
    public static async Task UnpairAsync(SyncEndpoint local, SyncEndpoint remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        await local.Client.RemoveDeviceAsync(remote.DeviceId, cancellationToken);
        await remote.Client.RemoveDeviceAsync(local.DeviceId, cancellationToken);
    }

    private static DeviceConfiguration Device(SyncEndpoint endpoint, List<string> addresses) => new()
    {
        DeviceId = endpoint.DeviceId,
        Name = endpoint.Name,
        Addresses = addresses,
        Compression = "metadata",
        Introducer = false,
        Paused = false,
        AutoAcceptFolders = false,
    };
}
