using System.Net;
using KSync.Plugin.Errors;
using KSync.Plugin.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace KSync.Plugin.Status;

/// <summary>
/// watch's status server: gRPC (<c>ksync.v1.Ksync</c>) on 127.0.0.1:<c>port</c>, HTTP/2 without TLS, for
/// <c>get</c>, <c>reload</c> and <c>doctor</c>. Only loopback: other users of the machine could read paths and
/// trigger reloads, nobody else can reach it.
/// </summary>
internal sealed class StatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StatusServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>Gets the port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Starts the server.</summary>
    /// <param name="port">Port on 127.0.0.1; 0 picks a free one (tests).</param>
    /// <param name="status">What to report.</param>
    /// <param name="logLevel">The <c>--log-level</c> value.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="KsyncException">The port is taken (the message names the watch that serves it, if one does).</exception>
    public static async Task<StatusServer> StartAsync(int port, WatchStatus status, string? logLevel, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        KsyncLogging.Configure(builder.Logging, logLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(status);
        var app = builder.Build();
        app.MapGrpcService<KsyncStatusService>();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            await app.DisposeAsync();
            // Taken after StatusPort's check: ask whether it is a watch, to name it.
            using var client = new StatusClient(port);
            if (await client.TryIsAliveAsync(TimeSpan.FromSeconds(2), cancellationToken) is { } alive)
            {
                throw StatusPort.AnotherWatch(port, alive.Pid, alive.Version);
            }

            throw new KsyncException(
                $"Port {port} on 127.0.0.1 was taken by another process while watch started.",
                "Run watch with another --port (or KSYNC_PORT), and give get the same one.",
                ex);
        }

        var bound = new Uri(app.Urls.Single()).Port;
        return new StatusServer(app, bound);
    }

    /// <summary>Stops accepting calls and ends open streams.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(bounded.Token);
        await _app.DisposeAsync();
    }
}
