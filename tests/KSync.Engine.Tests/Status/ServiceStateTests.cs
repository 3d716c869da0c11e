using KSync.Engine.Seeding;
using KSync.Engine.Status;

namespace KSync.Engine.Tests.Status;

/// <summary>The seed's progress and the first sync's removals in a service's state, as <c>get</c> reads them.</summary>
public sealed class ServiceStateTests
{
    [Fact]
    public void Seed_SetWhileItStreams_ClearedAfter_EachChangeNotifies()
    {
        var board = new StatusBoard();
        var state = new ServiceState(board);
        var progress = new SeedProgress(5, 10, 400, 1000) { FilesDone = 4, FilesTotal = 8 };

        state.SetSeed(progress);
        var during = state.Snapshot.Seed;
        state.SetSeed(null);

        Assert.Equal(progress, during);
        Assert.Null(state.Snapshot.Seed);
        Assert.Equal(2, board.Version);
    }

    [Fact]
    public void FirstSyncRemoved_CountsUp()
    {
        var state = new ServiceState(new StatusBoard());

        state.CountFirstSyncRemoved();
        state.CountFirstSyncRemoved();

        Assert.Equal(2, state.Snapshot.FirstSyncRemoved);
    }
}
