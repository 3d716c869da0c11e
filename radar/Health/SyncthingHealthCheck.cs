using KSync.Radar.Syncthing;
using KSync.Syncthing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KSync.Radar.Health;

/// <summary>
/// Health of the gRPC health service name "syncthing" (the syncthing container's probes): healthy when the node
/// syncthing answers <c>GET /rest/system/ping</c> with the installation's API key.
/// </summary>
internal sealed class SyncthingHealthCheck : IHealthCheck
{
    private readonly SyncthingTarget _syncthing;

    /// <summary>Creates the check.</summary>
    /// <param name="syncthing">The node syncthing.</param>
    public SyncthingHealthCheck(SyncthingTarget syncthing)
    {
        _syncthing = syncthing;
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_syncthing.Client is not { } client)
        {
            return HealthCheckResult.Unhealthy("KSYNC_SYNCTHING_API_KEY is not set");
        }

        try
        {
            await client.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SyncthingException)
        {
            return HealthCheckResult.Unhealthy($"syncthing at {_syncthing.ApiAddress} does not answer /rest/system/ping");
        }
    }
}
