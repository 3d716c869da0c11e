using KSync.Radar.Syncthing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KSync.Radar.Health;

/// <summary>
/// Health of the gRPC health service name "syncthing" (the syncthing container's probes): healthy when the node
/// syncthing answers <c>GET /rest/system/ping</c> with the installation's API key.
/// </summary>
internal sealed class SyncthingHealthCheck : IHealthCheck
{
    private readonly SyncthingClient _client;

    /// <summary>Creates the check.</summary>
    /// <param name="client">The node syncthing's API.</param>
    public SyncthingHealthCheck(SyncthingClient client)
    {
        _client = client;
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_client.HasApiKey)
        {
            return HealthCheckResult.Unhealthy("KSYNC_SYNCTHING_API_KEY is not set");
        }

        return await _client.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"syncthing at {_client.ApiAddress} does not answer /rest/system/ping");
    }
}
