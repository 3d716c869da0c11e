using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KSync.Radar.Tests.Support;

/// <summary>The real radar host, started in-process on free ports, with clients for its gRPC and health endpoints.</summary>
public sealed class RadarServer : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly GrpcChannel _healthChannel;

    private RadarServer(Microsoft.AspNetCore.Builder.WebApplication app, RadarOptions options)
    {
        _app = app;
        Options = options;
        var endpoints = app.Services.GetRequiredService<RadarEndpoints>();
        GrpcPort = endpoints.GrpcEndPoint.Port;
        HealthPort = endpoints.HealthEndPoint!.Port;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");
        _healthChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{HealthPort}");
        Client = new Proto.Radar.V1.Radar.RadarClient(_channel);
        Health = new Grpc.Health.V1.Health.HealthClient(_healthChannel);
        RadarOnHealthPort = new Proto.Radar.V1.Radar.RadarClient(_healthChannel);
    }

    internal RadarOptions Options { get; }

    public int GrpcPort { get; }

    public int HealthPort { get; }

    public Proto.Radar.V1.Radar.RadarClient Client { get; }

    public Grpc.Health.V1.Health.HealthClient Health { get; }

    /// <summary>Gets a Radar client pointed at the health-only port (must be refused).</summary>
    public Proto.Radar.V1.Radar.RadarClient RadarOnHealthPort { get; }

    internal T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    internal static async Task<RadarServer> StartAsync(RadarOptions options, CancellationToken cancellationToken = default)
    {
        var effective = new RadarOptions
        {
            Bind = "127.0.0.1",
            Port = 0,
            HealthBind = "127.0.0.1",
            HealthPort = 0,
            HostRoot = options.HostRoot,
            ProcRoot = options.ProcRoot,
            PreferProcRoot = options.PreferProcRoot,
            DockerSocket = options.DockerSocket ?? "/nonexistent/docker.sock",
            ContainerdSocket = options.ContainerdSocket ?? "/nonexistent/containerd.sock",
            CrioSocket = options.CrioSocket ?? "/nonexistent/crio.sock",
            ContainerdState = options.ContainerdState,
            RuntimeTimeout = options.RuntimeTimeout,
            SyncthingApi = options.SyncthingApi,
            SyncthingApiKey = options.SyncthingApiKey,
            SyncthingSyncPort = options.SyncthingSyncPort,
            SyncthingPollInterval = options.SyncthingPollInterval,
            NodeName = options.NodeName,
            Self = options.Self,
        };
        var app = RadarHost.Build(effective, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync(cancellationToken);
        return new RadarServer(app, effective);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        _healthChannel.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
