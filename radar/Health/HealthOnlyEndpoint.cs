using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace KSync.Radar.Health;

/// <summary>
/// Restricts the health endpoint (<c>--health-port</c>, bound to all interfaces for the kubelet's gRPC probes) to
/// the gRPC health service: connections accepted there are marked when they are accepted, and any request on a
/// marked connection outside <c>/grpc.health.v1.Health/</c> gets 404 (gRPC clients see UNIMPLEMENTED). The mark is
/// per connection, not per Host header, so a caller cannot reach the Radar service through the health port.
/// </summary>
internal static class HealthOnlyEndpoint
{
    private const string Marker = "ksync.radar.health-only";

    private const string HealthPathPrefix = "/grpc.health.v1.Health/";

    /// <summary>Marks every connection accepted on a listener as health-only (Kestrel connection middleware).</summary>
    /// <param name="listen">The health listener.</param>
    public static void MarkConnections(IConnectionBuilder listen)
    {
        listen.Use(next => connection =>
        {
            connection.Items[Marker] = true;
            return next(connection);
        });
    }

    /// <summary>Rejects anything but health checks on marked connections (HTTP middleware, first in the pipeline).</summary>
    /// <param name="context">The request.</param>
    /// <param name="next">The rest of the pipeline.</param>
    /// <returns>A task that completes when the request was handled.</returns>
    public static Task FilterAsync(HttpContext context, RequestDelegate next)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.ContainsKey(Marker) && !context.Request.Path.StartsWithSegments(HealthPathPrefix.TrimEnd('/'), StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
