using KSync.Syncthing.Devices;
using KSync.Syncthing.Tests.Fixtures;

namespace KSync.Syncthing.Tests.Devices;

/// <summary>Pairing two real syncthings the way a node session does: the remote only accepts (no address for the local side).</summary>
public sealed class DevicePairingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pair_RemoteOnlyAccepts_ConnectsAtTheFirstDial()
    {
        await using var local = await SyncthingNode.StartAsync("local", Token);
        await using var remote = await SyncthingNode.StartAsync("remote", Token);

        await DevicePairing.PairAsync(local.Endpoint, remote.Endpoint, remote.Process.ListenAddress, null, Token);

        // A first dial the remote refuses (it did not know the local device yet) is retried only after 5 s or more.
        await DevicePairing.WaitConnectedAsync(local.Endpoint, remote.Endpoint.DeviceId, TimeSpan.FromSeconds(3), Token);
    }
}
