using System.Net;
using KSync.Radar.Health;
using KSync.Radar.Ownership;
using KSync.Radar.Paths;
using KSync.Radar.Reload;
using KSync.Radar.Runtimes;
using KSync.Radar.Syncthing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KSync.Radar;

/// <summary>
/// Builds and runs radar's host: Kestrel with HTTP/2 on <c>--bind:--port</c> (the Radar service and health) and on
/// <c>--health-bind:--health-port</c> (health only), the gRPC health service with names "radar" and "syncthing",
/// the syncthing bootstrapper, and JSON log lines on stdout.
/// </summary>
internal static partial class RadarHost
{
    /// <summary>Builds the host (not started).</summary>
    /// <param name="options">radar's options.</param>
    /// <param name="logging">Replaces the default logging (JSON lines on stdout), e.g. for tests.</param>
    /// <returns>The application; its <see cref="RadarEndpoints"/> service has the bound addresses once started.</returns>
    public static WebApplication Build(RadarOptions options, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Content root = radar's own folder, never the working directory: in the DaemonSet that is "/", and the
        // configuration reload would put a recursive file watcher on it, which walks the mounted /var/lib/docker
        // (every container's files) and crashes radar (SIGSEGV) on a Docker node. radar reads no config files.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }

        var endpoints = new RadarEndpoints();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Bind), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                endpoints.Grpc = listen;
            });
            if (options.HealthPort >= 0)
            {
                kestrel.Listen(IPAddress.Parse(options.HealthBind), options.HealthPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    HealthOnlyEndpoint.MarkConnections(listen);
                    endpoints.Health = listen;
                });
            }
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(endpoints);
        services.AddSingleton<RuntimeRegistry>();
        services.AddSingleton(new PathResolver(options.ProcRoot, options.PreferProcRoot));
        services.AddSingleton(new FolderPreparer(options.ProcRoot));
        services.AddSingleton(new ReloadPolicy(options.Self));
        services.AddSingleton<SyncthingTarget>();
        services.AddSingleton<SyncthingBootstrapper>();
        services.AddHostedService(sp => sp.GetRequiredService<SyncthingBootstrapper>());
        services.AddGrpc();
        services.AddGrpcHealthChecks(o =>
            {
                o.Services.Clear();
                o.Services.Map(string.Empty, c => c.Name == "radar");
                o.Services.Map("radar", c => c.Name == "radar");
                o.Services.Map("syncthing", c => c.Name == "syncthing");
            })
            .AddCheck("radar", () => HealthCheckResult.Healthy())
            .AddCheck<SyncthingHealthCheck>("syncthing");

        var app = builder.Build();
        app.Use(HealthOnlyEndpoint.FilterAsync);
        app.MapGrpcService<RadarService>();
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>Runs radar until <paramref name="cancellationToken"/> is cancelled (SIGTERM, Ctrl+C).</summary>
    /// <param name="options">radar's options.</param>
    /// <param name="cancellationToken">Stops radar.</param>
    /// <returns>The exit code: 0.</returns>
    public static async Task<int> RunAsync(RadarOptions options, CancellationToken cancellationToken)
    {
        await using var app = Build(options);
        await app.StartAsync(cancellationToken);
        LogStarted(app, options);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static void LogStarted(WebApplication app, RadarOptions options)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KSync.Radar");
        var endpoints = app.Services.GetRequiredService<RadarEndpoints>();
        var sockets = app.Services.GetRequiredService<RuntimeRegistry>().Sockets;
        var grpc = endpoints.GrpcEndPoint;
        var health = endpoints.HealthEndPoint;
        Log.Listening(logger, grpc, health);
        foreach (var kind in Enum.GetValues<RuntimeKind>())
        {
            var name = ContainerRef.Scheme(kind);
            var socket = sockets.Find(kind) ?? "not found";
            var candidates = string.Join(", ", sockets.Candidates(kind));
            Log.RuntimeSocket(logger, name, socket, candidates);
        }

        Log.SyncthingTarget(logger, options.SyncthingApi, options.SyncthingSyncPort);
    }
}
