using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.Syncthing.Client;
using KSync.Syncthing.Folders;

namespace KSync.Engine.Tests.Syncing;

/// <summary>The sync barrier's rule (docs/architecture.md, "The sync barrier"): every local change in the container.</summary>
public sealed class InSyncRuleTests
{
    private static readonly ServiceSnapshot Watching = new(ServiceStatus.Watching, string.Empty, 100, null, "/node/app", "docker", false, 0);

    private static DbStatus Idle() => new() { State = "idle" };

    private static InSyncFacts Facts(
        ServiceSnapshot? service = null,
        SyncDirection direction = SyncDirection.TwoWay,
        bool rescanned = true,
        DbCompletion? completion = null,
        DbStatus? local = null,
        DbStatus? node = null,
        string? error = null)
        => new(service ?? Watching, direction, rescanned, completion ?? new DbCompletion { Completion = 100 }, local ?? Idle(), node ?? Idle(), error);

    [Fact]
    public void WatchingRescannedNothingNeeded_InSync()
        => Assert.Null(InSyncRule.NotYet(Facts()));

    [Fact]
    public void NotRescannedYet_NotYet()
        => Assert.Equal("the local folder is not rescanned yet", InSyncRule.NotYet(Facts(rescanned: false)));

    [Fact]
    public void RescanFailed_SaysWhy()
        => Assert.Equal("the local folder could not be rescanned: boom", InSyncRule.NotYet(Facts(rescanned: false, error: "boom")));

    [Fact]
    public void NodeStillNeedsLocalChanges_SaysHowMany()
        => Assert.Equal(
            "the node still needs 3 items (1,024 B) of the local changes",
            InSyncRule.NotYet(Facts(completion: new DbCompletion { Completion = 90, NeedItems = 2, NeedDeletes = 1, NeedBytes = 1024 })));

    [Fact]
    public void NodePulling_NotYet()
    {
        Assert.Equal("the node folder is syncing", InSyncRule.NotYet(Facts(node: new DbStatus { State = "syncing" })));
        Assert.Equal("the node is still pulling 1 item", InSyncRule.NotYet(Facts(node: new DbStatus { State = "idle", NeedTotalItems = 1 })));
    }

    [Fact]
    public void LocalScanning_NotYet()
        => Assert.Equal("the local folder is scanning", InSyncRule.NotYet(Facts(local: new DbStatus { State = "scanning" })));

    [Fact]
    public void Reconnecting_SaysSinceWhenAndWhy()
    {
        var since = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var service = Watching with { Status = ServiceStatus.Reconnecting, ReconnectingSince = since, ReconnectReason = "no ready node agent on lab-node-1" };

        Assert.Equal("reconnecting to the node since 2026-12-01T10:00:00Z: no ready node agent on lab-node-1", InSyncRule.NotYet(Facts(service)));
    }

    [Theory]
    [InlineData(ServiceStatus.Starting, "the sync is starting")]
    [InlineData(ServiceStatus.Syncing, "files are still moving (syncing)")]
    [InlineData(ServiceStatus.Reloading, "the container is reloading")]
    public void NotWatching_SaysTheStatus(ServiceStatus status, string reason)
        => Assert.Equal(reason, InSyncRule.NotYet(Facts(Watching with { Status = status })));

    [Fact]
    public void Error_SaysTheError()
        => Assert.Equal("error: radar said no", InSyncRule.NotYet(Facts(Watching with { Status = ServiceStatus.Error, LastError = "radar said no" })));

    [Fact]
    public void ReadFailed_SaysWhy()
        => Assert.Equal("the folder's state could not be read: refused", InSyncRule.NotYet(Facts(error: "refused")));

    [Fact]
    public void LocalReadOnly_ContainerChangedItself_NotYet()
        => Assert.Equal(
            "the container changed 2 items itself, which the local versions do not replace (local read-only)",
            InSyncRule.NotYet(Facts(direction: SyncDirection.LocalReadOnly, node: new DbStatus { State = "idle", ReceiveOnlyChangedFiles = 2 })));

    [Fact]
    public void RemoteReadOnly_LocalChangesStayLocal_OnlyTheContainersChangesCount()
    {
        var stuck = new DbCompletion { Completion = 50, NeedItems = 5 };

        Assert.Null(InSyncRule.NotYet(Facts(direction: SyncDirection.RemoteReadOnly, completion: stuck, local: new DbStatus { State = "idle", ReceiveOnlyChangedFiles = 5 })));
        Assert.Equal(
            "4 items still to come from the container (remote read-only)",
            InSyncRule.NotYet(Facts(direction: SyncDirection.RemoteReadOnly, local: new DbStatus { State = "idle", NeedTotalItems = 4 })));
    }
}
