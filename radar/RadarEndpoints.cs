using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KSync.Radar;

/// <summary>The addresses radar's Kestrel listeners are bound to, known once the host has started (port 0 = chosen then).</summary>
internal sealed class RadarEndpoints
{
    /// <summary>Gets or sets the gRPC listener.</summary>
    public ListenOptions? Grpc { get; set; }

    /// <summary>Gets or sets the health-only listener, or null when <c>--health-port=-1</c>.</summary>
    public ListenOptions? Health { get; set; }

    /// <summary>Gets the bound gRPC endpoint.</summary>
    public IPEndPoint GrpcEndPoint => Grpc?.IPEndPoint ?? throw new InvalidOperationException("radar is not listening yet.");

    /// <summary>Gets the bound health endpoint, or null when there is none.</summary>
    public IPEndPoint? HealthEndPoint => Health?.IPEndPoint;
}
