using KSync.Engine.Seeding;
using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.Plugin.Status;

namespace KSync.Plugin.Tests.Status;

/// <summary>A seed's progress and the first sync's removals travel from the engine's state through the status contract to <c>get</c>'s view.</summary>
public sealed class StatusMapperSeedTests
{
    private static readonly RemoteContainer Container = new("api-1", "dev", "node-a", "main", "containerd://abc", 0, "uid-1");

    [Fact]
    public void Seeding_CarriesFilesAndBytes_ThroughTheContractToTheView()
    {
        var state = new ServiceSnapshot(ServiceStatus.Syncing, string.Empty, 36, null, "/n", "containerd", false, 0)
        {
            Seed = new SeedProgress(5000, 11000, 12_400_000, 40_960_000) { FilesDone = 4210, FilesTotal = 10000 },
            FirstSyncRemoved = 7,
        };

        var wire = StatusMapper.ToProto(Container, state);
        var view = StatusMapper.ToView(wire);

        Assert.Equal((4210, 10000, 12_400_000L, 40_960_000L), (wire.Seed.FilesDone, wire.Seed.FilesTotal, wire.Seed.BytesDone, wire.Seed.BytesTotal));
        Assert.NotNull(view.Seed);
        Assert.Equal((4210, 10000, 12_400_000L, 40_960_000L), (view.Seed.FilesDone, view.Seed.FilesTotal, view.Seed.BytesDone, view.Seed.BytesTotal));
        Assert.Equal((7, 7), (wire.FirstSyncRemoved, view.FirstSyncRemoved));
    }

    [Fact]
    public void NoSeed_NoSeedInTheContractOrView()
    {
        var state = new ServiceSnapshot(ServiceStatus.Watching, string.Empty, 100, null, "/n", "containerd", false, 0);

        var wire = StatusMapper.ToProto(Container, state);

        Assert.Null(wire.Seed);
        Assert.Null(StatusMapper.ToView(wire).Seed);
    }
}
