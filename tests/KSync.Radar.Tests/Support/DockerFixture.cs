using KSync.TestKit;

namespace KSync.Radar.Tests.Support;

/// <summary>One private Docker engine for the whole "docker" collection, with radar pointed at it.</summary>
public sealed class DockerFixture : IAsyncLifetime
{
    private DockerEngine? _engine;
    private RadarServer? _radar;

    public DockerEngine Engine => _engine ?? throw new InvalidOperationException("not started");

    public RadarServer Radar => _radar ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _engine = await DockerEngine.StartAsync(TestContext.Current.CancellationToken);
        _radar = await RadarServer.StartAsync(new RadarOptions { DockerSocket = _engine.SocketPath });
    }

    /// <summary>Starts another radar on the same engine with different options (caller disposes).</summary>
    internal static Task<RadarServer> StartRadarAsync(RadarOptions options) => RadarServer.StartAsync(options);

    public async ValueTask DisposeAsync()
    {
        if (_radar is not null)
        {
            await _radar.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
