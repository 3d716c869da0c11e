using Grpc.Core;
using Grpc.Health.V1;
using KSync.Proto.Radar.V1;
using KSync.Radar.Tests.Support;
using KSync.TestKit;

namespace KSync.Radar.Tests.Service;

/// <summary>radar configures a real node syncthing through REST, reports it, and serves its health.</summary>
public sealed class SyncthingBootstrapTests : IDisposable
{
    private readonly TempDirectory _home = new("ksync-st");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Radar_PinsSyncListenerToLoopbackAndTurnsOffDiscovery_AgainAfterSyncthingRestarts()
    {
        await using var syncthing = await SyncthingProcess.StartAsync(_home.Path, Ct);
        var syncPort = FreePort.Next();
        await using var radar = await RadarServer.StartAsync(Options(syncthing, syncPort), Ct);

        await Eventually.TrueAsync(async () => IsPinned(await syncthing.OptionsAsync(Ct), syncPort), TimeSpan.FromSeconds(20), "radar to configure syncthing");
        var options = await syncthing.OptionsAsync(Ct);
        Assert.False(options["globalAnnounceEnabled"]!.GetValue<bool>());
        Assert.False(options["localAnnounceEnabled"]!.GetValue<bool>());
        Assert.False(options["relaysEnabled"]!.GetValue<bool>());
        Assert.False(options["natEnabled"]!.GetValue<bool>());
        Assert.False(options["crashReportingEnabled"]!.GetValue<bool>());
        Assert.Equal(-1, options["urAccepted"]!.GetValue<int>());
        Assert.Equal(0, options["autoUpgradeIntervalH"]!.GetValue<int>());

        // Someone widens the listener; syncthing restarts: radar pins it again.
        using (var widen = await syncthing.Http.PatchAsync(new Uri("rest/config/options", UriKind.Relative), new StringContent("""{"listenAddresses":["default"],"relaysEnabled":true}"""), Ct))
        {
            widen.EnsureSuccessStatusCode();
        }

        await syncthing.StopAsync();
        await syncthing.StartAgainAsync(Ct);
        await Eventually.TrueAsync(async () => IsPinned(await syncthing.OptionsAsync(Ct), syncPort), TimeSpan.FromSeconds(20), "radar to configure the restarted syncthing");
        Assert.False((await syncthing.OptionsAsync(Ct))["relaysEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetSyncthingInfo_SyncthingUp_ReportsDeviceIdVersionPortsAndKey()
    {
        await using var syncthing = await SyncthingProcess.StartAsync(_home.Path, Ct);
        var syncPort = FreePort.Next();
        await using var radar = await RadarServer.StartAsync(Options(syncthing, syncPort), Ct);

        await Eventually.TrueAsync(async () => (await radar.Client.GetSyncthingInfoAsync(new GetSyncthingInfoRequest(), cancellationToken: Ct)).Configured, TimeSpan.FromSeconds(20), "radar to report syncthing configured");
        var info = await radar.Client.GetSyncthingInfoAsync(new GetSyncthingInfoRequest(), cancellationToken: Ct);
        var status = await syncthing.Http.GetStringAsync(new Uri("rest/system/status", UriKind.Relative), Ct);

        Assert.Equal(syncthing.ApiPort, info.ApiPort);
        Assert.Equal(syncPort, info.SyncPort);
        Assert.Equal(syncthing.ApiKey, info.ApiKey);
        Assert.Matches("^[A-Z0-9]{7}(-[A-Z0-9]{7}){7}$", info.DeviceId);
        Assert.Contains(info.DeviceId, status, StringComparison.Ordinal);
        Assert.StartsWith("v", info.Version, StringComparison.Ordinal);
        var health = await radar.Health.CheckAsync(new HealthCheckRequest { Service = "syncthing" }, cancellationToken: Ct);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Health_SyncthingDown_SyncthingNotServingRadarServing()
    {
        await using var radar = await RadarServer.StartAsync(new RadarOptions
        {
            SyncthingApi = new Uri($"http://127.0.0.1:{FreePort.Next()}"),
            SyncthingApiKey = "some-key-0123456789",
            SyncthingSyncPort = 22000,
        }, Ct);

        var syncthing = await radar.Health.CheckAsync(new HealthCheckRequest { Service = "syncthing" }, cancellationToken: Ct);
        var service = await radar.Health.CheckAsync(new HealthCheckRequest { Service = "radar" }, cancellationToken: Ct);
        var overall = await radar.Health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        var info = await radar.Client.GetSyncthingInfoAsync(new GetSyncthingInfoRequest(), cancellationToken: Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, syncthing.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, service.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, overall.Status);
        Assert.Equal(string.Empty, info.DeviceId);
        Assert.False(info.Configured);
        Assert.Equal("some-key-0123456789", info.ApiKey);
    }

    [Fact]
    public async Task HealthPort_ServesOnlyHealth()
    {
        await using var radar = await RadarServer.StartAsync(new RadarOptions(), Ct);

        var onHealthPort = await Assert.ThrowsAsync<RpcException>(async () => await radar.RadarOnHealthPort.GetVersionInfoAsync(new GetVersionInfoRequest(), cancellationToken: Ct));
        var onMainPort = await radar.Client.GetVersionInfoAsync(new GetVersionInfoRequest(), cancellationToken: Ct);

        Assert.Equal(StatusCode.Unimplemented, onHealthPort.StatusCode);
        Assert.False(string.IsNullOrEmpty(onMainPort.Version));
        Assert.Matches("^linux/(amd64|arm64)$", onMainPort.Platform);
    }

    public void Dispose() => _home.Dispose();

    private static RadarOptions Options(SyncthingProcess syncthing, int syncPort) => new()
    {
        SyncthingApi = new Uri($"http://127.0.0.1:{syncthing.ApiPort}"),
        SyncthingApiKey = syncthing.ApiKey,
        SyncthingSyncPort = syncPort,
        SyncthingPollInterval = TimeSpan.FromMilliseconds(200),
    };

    private static bool IsPinned(System.Text.Json.Nodes.JsonObject options, int syncPort)
        => options["listenAddresses"]!.AsArray().Select(a => a!.GetValue<string>()).SequenceEqual([$"tcp://127.0.0.1:{syncPort}"]);
}
