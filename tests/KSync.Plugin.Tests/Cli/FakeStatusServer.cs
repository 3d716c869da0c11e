using System.Net;
using Grpc.Core;
using KSync.Proto.Ksync.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Tests.Cli;

/// <summary>A stand-in for watch's status server that serves a fixed spec list, to test get's client side.</summary>
public sealed class FakeStatusServer : IAsyncDisposable
{
    /// <summary>The PID its IsAlive reports.</summary>
    public const int Pid = 4242;

    /// <summary>The version its IsAlive reports.</summary>
    public const string Version = "9.9.9-fake";

    private readonly WebApplication _app;

    private FakeStatusServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<FakeStatusServer> StartAsync(SpecList list)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(list);
        var app = builder.Build();
        app.MapGrpcService<Fake>();
        await app.StartAsync();
        var address = app.Urls.Single();
        return new FakeStatusServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Fake(SpecList list) : Ksync.KsyncBase
    {
        public override Task<Alive> IsAlive(IsAliveRequest request, ServerCallContext context) => Task.FromResult(new Alive { Alive_ = true, Pid = Pid, Version = Version });

        // Filters by substring as watch's status server does, so get's handling of names that match nothing is tested.
        public override Task<SpecList> GetSpecList(GetSpecListRequest request, ServerCallContext context)
        {
            if (request.Names.Count == 0)
            {
                return Task.FromResult(list);
            }

            var filtered = new SpecList { Api = list.Api };
            filtered.Items.AddRange(list.Items.Where(s => request.Names.Any(n => s.Details.Name.Contains(n, StringComparison.Ordinal))));
            return Task.FromResult(filtered);
        }
    }
}
