using Grpc.Core;
using KSync.Config.Model;
using KSync.Engine.Fakes;
using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.Plugin.Cluster;
using KSync.Plugin.Errors;
using KSync.Plugin.Status;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Wire = KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Tests.Status;

public sealed class StatusServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new("ksync-status");
    private readonly FakeContainerSource _source = new();
    private readonly FakeFolderFactory _folders = new();
    private readonly StatusBoard _board = new();
    private SpecList _specs = null!;
    private StatusServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir.Combine("src"));
        _specs = new SpecList(
            new FakeSpecSource(),
            d => new Spec(d, _source, (dd, c) => new Service(dd, c, _folders, _board, NullLogger.Instance, TimeProvider.System), _board, NullLogger.Instance),
            _board,
            NullLogger.Instance);
        await _specs.ApplyAsync([Details("api"), Details("web")]);
        var status = new WatchStatus(_specs, _board, () => new ApiConnectionState(true, DateTimeOffset.UnixEpoch, null), _ => Task.FromResult(true));
        _server = await StatusServer.StartAsync(0, status, "error", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _specs.DisposeAsync();
        _dir.Dispose();
    }

    private SpecDetails Details(string name) => new() { Name = name, Selector = [$"app={name}"], LocalPath = _dir.Combine("src"), RemotePath = "/app" };

    [Fact]
    public async Task GetSpecList_ReportsSpecsServicesAndApi()
    {
        _source.Publish("api", Containers.Make("api-1", node: "node-a"));
        await Eventually.TrueAsync(() => _specs.Items[0].Services.Items.Count == 1 && _specs.Items[0].Services.Items[0].State.Snapshot.Status == ServiceStatus.Watching, Wait, "service watching");
        using var client = new StatusClient(_server.Port);

        var list = await client.GetSpecListAsync([], Wait, Ct);

        Assert.Equal(["api", "web"], list.Items.Select(s => s.Details.Name));
        Assert.Equal("connected", list.Api.State);
        var api = list.Items[0];
        Assert.Equal(Wire.SpecStatus.Active, api.Status);
        var service = Assert.Single(api.Services.Items);
        Assert.Equal(("api-1", "node-a", Wire.ServiceStatus.Watching), (service.RemoteContainer.PodName, service.RemoteContainer.NodeName, service.Status));
        Assert.Equal(Wire.SpecStatus.Waiting, list.Items[1].Status);
        Assert.Contains("app=web", list.Items[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSpecList_FiltersByNameSubstring()
    {
        using var client = new StatusClient(_server.Port);

        var list = await client.GetSpecListAsync(["we"], Wait, Ct);

        Assert.Equal(["web"], list.Items.Select(s => s.Details.Name));
    }

    [Fact]
    public async Task WatchSpecList_StreamsChanges()
    {
        using var client = new StatusClient(_server.Port);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        stop.CancelAfter(Wait);
        var seen = new List<Wire.SpecList>();

        await foreach (var list in client.WatchSpecListAsync([], stop.Token))
        {
            seen.Add(list);
            if (seen.Count == 1)
            {
                _source.Publish("web", Containers.Make("web-1"));
            }

            if (list.Items[1].Services.Items.Count == 1)
            {
                break;
            }
        }

        Assert.Empty(seen[0].Items[1].Services.Items);
        Assert.Equal("web-1", seen[^1].Items[1].Services.Items[0].RemoteContainer.PodName);
    }

    [Fact]
    public async Task IsAlive_ReportsPidAndSyncthing()
    {
        using var client = new StatusClient(_server.Port);

        var alive = await client.TryIsAliveAsync(Wait, Ct);

        Assert.NotNull(alive);
        Assert.True(alive.Alive_);
        Assert.True(alive.SyncthingAlive);
        Assert.Equal(Environment.ProcessId, alive.Pid);
    }

    [Fact]
    public async Task Reload_NamedSpec_ReloadsEveryContainer()
    {
        _source.Publish("api", Containers.Make("api-1"), Containers.Make("api-2"));
        await Eventually.TrueAsync(() => _specs.Items[0].Services.Items.Count == 2 && _folders.Created.Count == 2, Wait, "two services");
        using var client = new StatusClient(_server.Port);

        var response = await client.ReloadAsync(new Wire.ReloadRequest { Names = { "api" } }, Wait, Ct);

        Assert.Equal(["api-1", "api-2"], response.Results.Select(r => r.RemoteContainer.PodName));
        Assert.All(response.Results, r => Assert.Equal("restarted", r.Outcome));
    }

    [Fact]
    public async Task Reload_UnknownSpec_IsNotFound()
    {
        using var client = new StatusClient(_server.Port);

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.ReloadAsync(new Wire.ReloadRequest { Names = { "api", "ghost" } }, Wait, Ct));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Contains("'ghost'", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondServerOnSamePort_FailsNamingTheWatchThatServesIt()
    {
        var status = new WatchStatus(_specs, _board, () => new ApiConnectionState(true, DateTimeOffset.UnixEpoch, null), _ => Task.FromResult(true));

        var ex = await Assert.ThrowsAsync<KsyncException>(() => StatusServer.StartAsync(_server.Port, status, "error", Ct));

        Assert.Equal($"Another kubectl ksync watch (PID {Environment.ProcessId}, version {BuildInfo.Current.Version}) already serves status on 127.0.0.1:{_server.Port}.", ex.Message);
        Assert.Contains("clean --local", ex.Hint, StringComparison.Ordinal);
    }
}
