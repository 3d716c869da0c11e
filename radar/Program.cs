using System.Net;
using KSync.Radar;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var command = new RadarCommand(async (options, cancellationToken) =>
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
    builder.WebHost.ConfigureKestrel(kestrel =>
        kestrel.Listen(IPAddress.Parse(options.Bind), options.Port, listen => listen.Protocols = HttpProtocols.Http2));
    builder.Services.AddSingleton(options);
    builder.Services.AddGrpc();
    builder.Services.AddGrpcHealthChecks().AddCheck("radar", () => HealthCheckResult.Healthy());

    await using var app = builder.Build();
    app.MapGrpcService<RadarService>();
    app.MapGrpcHealthChecksService();
    await app.RunAsync(cancellationToken);
    return 0;
});

return await command.Parse(args).InvokeAsync();
