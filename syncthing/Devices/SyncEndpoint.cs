using KSync.Syncthing.Versions;
using KSync.Syncthing.Client;

namespace KSync.Syncthing.Devices;

/// <summary>
/// One side of a synced folder: a syncthing reached through <see cref="Client"/> (the local one directly, a node's
/// through a tunnel), its device ID, and what its version accepts.
/// </summary>
/// <param name="Name">Display name for logs and the other side's device list (e.g. "ksync-local", "node-a").</param>
/// <param name="Client">REST client of that syncthing.</param>
/// <param name="DeviceId">Its device ID (<c>GET /rest/system/status</c> → <c>myID</c>).</param>
/// <param name="Capabilities">What its version accepts (watcher delay range, pullerDelayS).</param>
public sealed record SyncEndpoint(string Name, SyncthingClient Client, string DeviceId, SyncthingCapabilities Capabilities)
{
    /// <summary>Builds an endpoint by asking the syncthing behind <paramref name="client"/> for its ID and version.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="client">REST client.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="SyncthingException">A call failed or the version is unsupported.</exception>
    public static async Task<SyncEndpoint> ConnectAsync(string name, SyncthingClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var status = await client.GetSystemStatusAsync(cancellationToken);
        var version = await client.GetVersionAsync(cancellationToken);
        if (!SyncthingVersion.TryParse(version.Version, out var parsed))
        {
            throw new SyncthingException($"syncthing at {client.BaseAddress} reports an unreadable version '{version.Version}'.");
        }

        return new SyncEndpoint(name, client, status.MyId, SyncthingCapabilities.For(parsed));
    }
}
