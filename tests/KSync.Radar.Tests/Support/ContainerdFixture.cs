using KSync.TestKit;

namespace KSync.Radar.Tests.Support;

/// <summary>One private containerd with CRI for the whole "containerd" collection, with radar pointed at it.</summary>
public sealed class ContainerdFixture : IAsyncLifetime
{
    private ContainerdEngine? _engine;
    private RadarServer? _radar;
    private CriPods? _pods;

    public ContainerdEngine Engine => _engine ?? throw new InvalidOperationException("not started");

    public RadarServer Radar => _radar ?? throw new InvalidOperationException("not started");

    public CriPods Pods => _pods ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _engine = await ContainerdEngine.StartAsync(TestContext.Current.CancellationToken);
        _pods = new CriPods(_engine);
        _radar = await RadarServer.StartAsync(new RadarOptions { ContainerdSocket = _engine.SocketPath, HealthPort = 0 });
    }

    public async ValueTask DisposeAsync()
    {
        if (_radar is not null)
        {
            await _radar.DisposeAsync();
        }

        if (_pods is not null)
        {
            await _pods.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}
