using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>One lab cluster shared by the tests of a collection (they must not interfere with each other).</summary>
public sealed class LabFixture : IAsyncLifetime
{
    private LabCluster? _lab;

    public LabCluster Lab => _lab ?? throw new InvalidOperationException("The lab did not start.");

    public async ValueTask InitializeAsync()
    {
        if (!Requires.IsCi && (Requires.Which("dockerd") is null || Requires.Which("syncthing") is null))
        {
            // Tests call Requires themselves and skip with the reason; the fixture must not throw first.
            return;
        }

        _lab = await LabCluster.StartAsync(new LabOptions(), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}
