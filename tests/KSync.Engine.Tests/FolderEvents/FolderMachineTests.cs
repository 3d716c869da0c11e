using KSync.Engine.FolderEvents;
using KSync.Engine.Status;
using Decision = KSync.Engine.FolderEvents.FolderDecision;
using Input = KSync.Engine.FolderEvents.FolderInput;

namespace KSync.Engine.Tests.FolderEvents;

/// <summary>The Folder's rules with the time as an input: no processes, no timers.</summary>
public sealed class FolderMachineTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    private static FolderMachine Machine(bool reload = true) => new(new FolderMachineOptions { ReloadEnabled = reload, ReloadDebounce = Debounce });

    private static DateTimeOffset At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    [Fact]
    public void NewMachine_NothingToDoAndNothingDue()
    {
        var machine = Machine();

        Assert.Empty(machine.Decide(T0));
        Assert.Null(machine.NextDueAt);
        Assert.Equal(FolderPhase.Following, machine.Phase);
    }

    [Theory]
    [InlineData(FolderSide.Local, "sync-waiting")]
    [InlineData(FolderSide.Local, "sync-preparing")]
    [InlineData(FolderSide.Local, "syncing")]
    [InlineData(FolderSide.Node, "sync-waiting")]
    [InlineData(FolderSide.Node, "sync-preparing")]
    [InlineData(FolderSide.Node, "syncing")]
    public void EitherSidePulling_Syncing_ThenIdle_Watching(FolderSide side, string state)
    {
        var machine = Machine();

        machine.Observe(new Input.StateChanged(side, state), T0);
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Syncing)], machine.Decide(T0));

        machine.Observe(new Input.StateChanged(side, "idle"), At(1));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Watching)], machine.Decide(At(1)));
        Assert.Empty(machine.Decide(At(1)));
    }

    [Theory]
    [InlineData("scanning")]
    [InlineData("scan-waiting")]
    [InlineData("idle")]
    public void NotPulling_StaysWatching(string state)
    {
        var machine = Machine();

        machine.Observe(new Input.StateChanged(FolderSide.Local, state), T0);
        machine.Observe(new Input.StateChanged(FolderSide.Node, state), T0);

        Assert.Empty(machine.Decide(T0));
    }

    [Fact]
    public void OneSideStillPulling_StaysSyncingUntilBothIdle()
    {
        var machine = Machine();
        machine.Observe(new Input.StateChanged(FolderSide.Local, "syncing"), T0);
        machine.Observe(new Input.StateChanged(FolderSide.Node, "syncing"), T0);
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Syncing)], machine.Decide(T0));

        machine.Observe(new Input.StateChanged(FolderSide.Local, "idle"), At(1));
        Assert.Empty(machine.Decide(At(1)));

        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle"), At(2));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Watching)], machine.Decide(At(2)));
    }

    [Fact]
    public void PullingAndIdleInOneBatch_NoStatusFlicker()
    {
        var machine = Machine();

        machine.Observe(new Input.StateChanged(FolderSide.Local, "syncing"), T0);
        machine.Observe(new Input.StateChanged(FolderSide.Local, "idle"), T0);

        Assert.Empty(machine.Decide(T0));
    }

    [Fact]
    public void ItemSynced_LastSyncIsTheEventsTimeOrNow()
    {
        var machine = Machine(reload: false);

        machine.Observe(new Input.ItemSynced(FolderSide.Local, At(-3), "update", "a.txt"), T0);
        Assert.Equal([new Decision.SetLastSync(At(-3))], machine.Decide(T0));

        machine.Observe(new Input.ItemSynced(FolderSide.Node, null, "update", "b.txt"), At(1));
        Assert.Equal([new Decision.SetLastSync(At(1))], machine.Decide(At(2)));
    }

    [Fact]
    public void ItemsInOneBatch_OneLastSyncWithTheLatest()
    {
        var machine = Machine(reload: false);

        machine.Observe(new Input.ItemSynced(FolderSide.Local, At(1), "update", "a.txt"), At(2));
        machine.Observe(new Input.ItemSynced(FolderSide.Node, At(2), "delete", "b.txt"), At(2));

        Assert.Equal([new Decision.SetLastSync(At(2))], machine.Decide(At(2)));
    }

    [Fact]
    public void NodeItem_ReloadOn_ReloadsOnlyAfterTheDebounce()
    {
        var machine = Machine();

        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "app.py"), T0);
        Assert.Equal([new Decision.SetLastSync(T0), new Decision.ReloadDue(T0 + Debounce, "update", "app.py")], machine.Decide(T0));
        Assert.Equal(T0 + Debounce, machine.NextDueAt);
        Assert.Empty(machine.Decide(T0 + Debounce - TimeSpan.FromMilliseconds(1)));

        Assert.Equal([new Decision.SetStatus(ServiceStatus.Reloading), new Decision.Reload(false)], machine.Decide(T0 + Debounce));
        Assert.Equal(FolderPhase.Reloading, machine.Phase);
    }

    [Fact]
    public void NodeItems_EachLandedChangeRestartsTheDebounce()
    {
        var machine = Machine();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Decide(T0);

        machine.Observe(new Input.ItemSynced(FolderSide.Node, At(0.4), "update", "b.py"), At(0.4));
        machine.Decide(At(0.4));

        Assert.DoesNotContain(machine.Decide(At(0.5)), d => d is Decision.Reload);
        Assert.Equal(At(0.4) + Debounce, machine.NextDueAt);
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(0.9)));
    }

    [Fact]
    public void LocalItem_ChangeFromTheContainer_NeverReloads()
    {
        var machine = Machine();

        machine.Observe(new Input.ItemSynced(FolderSide.Local, T0, "update", "log.txt"), T0);

        Assert.Equal([new Decision.SetLastSync(T0)], machine.Decide(T0));
        Assert.Null(machine.NextDueAt);
        Assert.Empty(machine.Decide(At(60)));
    }

    [Fact]
    public void NodeItem_ReloadOff_NeverReloads()
    {
        var machine = Machine(reload: false);

        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "app.py"), T0);

        Assert.Equal([new Decision.SetLastSync(T0)], machine.Decide(T0));
        Assert.Null(machine.NextDueAt);
        Assert.Empty(machine.Decide(At(60)));
    }

    [Fact]
    public void DueReload_WaitsWhileTheNodePulls_FiresOnceItIsIdle()
    {
        var machine = Machine();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Observe(new Input.StateChanged(FolderSide.Node, "syncing"), T0);
        machine.Decide(T0);

        Assert.Null(machine.NextDueAt);
        Assert.Empty(machine.Decide(At(5)));

        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle"), At(6));
        Assert.Equal(
            [new Decision.SetStatus(ServiceStatus.Watching), new Decision.SetStatus(ServiceStatus.Reloading), new Decision.Reload(false)],
            machine.Decide(At(6)));
    }

    [Fact]
    public void AutomaticReloadFinished_BackToFollowing_NodeRescannedASecondLater()
    {
        var machine = Machine();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Decide(T0);
        machine.Decide(T0 + Debounce);

        machine.Observe(new Input.ReloadFinished(Manual: false), At(2));

        Assert.Equal(FolderPhase.Following, machine.Phase);
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Watching)], machine.Decide(At(2)));
        Assert.Equal(At(3), machine.NextDueAt);
        Assert.Empty(machine.Decide(At(2.9)));
        Assert.Equal([new Decision.RescanNode()], machine.Decide(At(3)));
        Assert.Null(machine.NextDueAt);
    }

    [Fact]
    public void ReloadRequested_ReloadsAtOnceEvenWhileTheNodePulls_NoRescanAfter()
    {
        var machine = Machine();
        machine.Observe(new Input.StateChanged(FolderSide.Node, "syncing"), T0);
        machine.Decide(T0);

        machine.Observe(new Input.ReloadRequested(), At(1));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Reloading), new Decision.Reload(true)], machine.Decide(At(1)));

        machine.Observe(new Input.ReloadFinished(Manual: true), At(2));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Syncing)], machine.Decide(At(2)));
        Assert.Null(machine.NextDueAt);
    }

    [Fact]
    public void ReloadRequested_ReloadOff_StillReloads()
    {
        var machine = Machine(reload: false);

        machine.Observe(new Input.ReloadRequested(), T0);

        Assert.Contains(new Decision.Reload(true), machine.Decide(T0));
    }

    [Fact]
    public void TwoReloadsRequested_OneAfterTheOther()
    {
        var machine = Machine();
        machine.Observe(new Input.ReloadRequested(), T0);
        machine.Observe(new Input.ReloadRequested(), T0);

        Assert.Contains(new Decision.Reload(true), machine.Decide(T0));
        Assert.Empty(machine.Decide(T0));
        machine.Observe(new Input.ReloadFinished(Manual: true), At(1));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Watching), new Decision.SetStatus(ServiceStatus.Reloading), new Decision.Reload(true)], machine.Decide(At(1)));
        machine.Observe(new Input.ReloadFinished(Manual: true), At(2));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Watching)], machine.Decide(At(2)));
        Assert.Empty(machine.Decide(At(2)));
    }

    [Fact]
    public void WhileReloading_EventsAreTakenIn_OnlyRecordsAreDecided()
    {
        var machine = Machine();
        machine.Observe(new Input.ReloadRequested(), T0);
        machine.Decide(T0);

        machine.Observe(new Input.StateChanged(FolderSide.Node, "error"), At(1));
        machine.Observe(new Input.StateChanged(FolderSide.Local, "syncing"), At(1));
        machine.Observe(new Input.ItemSynced(FolderSide.Node, At(1), "update", "a.py"), At(1));
        var decisions = machine.Decide(At(5));

        Assert.Equal([new Decision.SetLastSync(At(1)), new Decision.ReloadDue(At(1) + Debounce, "update", "a.py")], decisions);
        Assert.Equal(FolderPhase.Reloading, machine.Phase);
    }

    [Fact]
    public void NodeError_RescanASecondLater_RetriedEveryTwoSecondsUntilItWorks()
    {
        var machine = Machine();

        machine.Observe(new Input.StateChanged(FolderSide.Node, "error"), T0);
        Assert.Empty(machine.Decide(T0));
        Assert.Equal(At(1), machine.NextDueAt);
        Assert.Equal([new Decision.RescanNode()], machine.Decide(At(1)));

        machine.Observe(new Input.RescanFinished(Succeeded: false), At(1.2));
        Assert.Equal(At(3.2), machine.NextDueAt);
        Assert.Empty(machine.Decide(At(3)));
        Assert.Equal([new Decision.RescanNode()], machine.Decide(At(3.2)));

        machine.Observe(new Input.RescanFinished(Succeeded: true), At(3.3));
        Assert.Null(machine.NextDueAt);
        Assert.Empty(machine.Decide(At(10)));
    }

    [Fact]
    public void LocalError_NoRescan()
    {
        var machine = Machine();

        machine.Observe(new Input.StateChanged(FolderSide.Local, "error"), T0);

        Assert.Null(machine.NextDueAt);
        Assert.Empty(machine.Decide(At(10)));
    }

    [Fact]
    public void NextDueAt_IsTheEarlierOfReloadAndRescan()
    {
        var machine = Machine();
        machine.Observe(new Input.StateChanged(FolderSide.Node, "error"), T0);
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        Assert.Equal(T0 + Debounce, machine.NextDueAt);

        machine.Observe(new Input.StateChanged(FolderSide.Node, "error"), At(-0.8));
        Assert.Equal(At(0.2), machine.NextDueAt);
    }

    [Fact]
    public void LocalSyncthingRestarted_ConfigReappliedOnceBeforeAnythingElse()
    {
        var machine = Machine();
        machine.Observe(new Input.StateChanged(FolderSide.Local, "syncing"), T0);
        machine.Observe(new Input.LocalSyncthingRestarted(), T0);

        var decisions = machine.Decide(T0);

        Assert.Equal([new Decision.ReapplyConfig(), new Decision.SetStatus(ServiceStatus.Syncing)], decisions);
        Assert.Empty(machine.Decide(T0));
    }

    [Fact]
    public void NodeMetadataItem_NoReload()
    {
        var machine = Machine();

        // A metadata-only item (mode or times) changes no content; a resume after a lost node database brings many.
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "metadata", "a.py"), T0);

        Assert.Equal([new Decision.SetLastSync(T0)], machine.Decide(T0));
        Assert.Null(machine.NextDueAt);
    }

    [Fact]
    public void NodeDeleteItem_Reloads()
    {
        var machine = Machine();

        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "delete", "old.py"), T0);

        Assert.Contains(new Decision.Reload(false), machine.Decide(T0 + Debounce));
    }

    private static FolderMachine SettingUp(bool reload = true)
        => new(new FolderMachineOptions { ReloadEnabled = reload, ReloadDebounce = Debounce }, ServiceStatus.Starting, FolderPhase.SettingUp);

    [Fact]
    public void SettingUp_NothingDecidedUntilSetUpDone_ThenTheStatusFollowsTheSides()
    {
        var machine = SettingUp();
        machine.Observe(new Input.StateChanged(FolderSide.Node, "syncing"), T0);

        Assert.Empty(machine.Decide(T0));
        Assert.Null(machine.NextDueAt);

        machine.Observe(new Input.SetUpDone(), At(1));
        Assert.Equal(FolderPhase.Following, machine.Phase);
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Syncing)], machine.Decide(At(1)));
    }

    [Fact]
    public void FirstSyncThatChangedNothing_NoReload()
    {
        var machine = SettingUp();
        machine.Observe(new Input.ItemSynced(FolderSide.Local, T0, "update", "written-by-the-app.txt"), T0);
        machine.Observe(new Input.SetUpDone(), At(1));
        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle"), At(1));

        Assert.DoesNotContain(machine.Decide(At(1)), d => d is Decision.Reload);
        Assert.Null(machine.NextDueAt);
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void FirstSyncSeedWroteEntries_OneReloadAfterTheSetUp()
    {
        var machine = SettingUp();
        machine.Observe(new Input.Seeded(Written: 3000, Removed: 0, Time: At(2)), At(2));
        Assert.Equal([new Decision.SetLastSync(At(2)), new Decision.ReloadDue(At(2) + Debounce, "seed", "3000 written, 0 removed")], machine.Decide(At(2)));
        Assert.Null(machine.NextDueAt);

        machine.Observe(new Input.SetUpDone(), At(5));
        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle"), At(5));
        Assert.DoesNotContain(machine.Decide(At(5)), d => d is Decision.Reload);
        Assert.Equal(At(5) + Debounce, machine.NextDueAt);

        Assert.Equal(new Decision.Reload(false), Assert.Single(machine.Decide(At(5) + Debounce).OfType<Decision.Reload>()));
        machine.Observe(new Input.ReloadFinished(Manual: false), At(6));
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void FirstSyncSeedOnlyRemoved_OneReloadAfterTheSetUp()
    {
        var machine = SettingUp();
        machine.Observe(new Input.Seeded(Written: 0, Removed: 2, Time: At(1)), At(1));
        machine.Observe(new Input.SetUpDone(), At(2));

        Assert.Equal(At(2) + Debounce, machine.NextDueAt);
        Assert.Single(machine.Decide(At(2) + Debounce).OfType<Decision.Reload>());
    }

    [Fact]
    public void FirstSyncSeedWroteNothing_NoReloadNoLastSync()
    {
        var machine = SettingUp();
        machine.Observe(new Input.Seeded(Written: 0, Removed: 0, Time: At(1)), At(1));
        Assert.Empty(machine.Decide(At(1)));

        machine.Observe(new Input.SetUpDone(), At(2));
        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle"), At(2));
        Assert.DoesNotContain(machine.Decide(At(2)), d => d is Decision.Reload);
        Assert.Null(machine.NextDueAt);
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void FirstSyncSeedWrote_ReloadOff_NoReload()
    {
        var machine = SettingUp(reload: false);
        machine.Observe(new Input.Seeded(Written: 10, Removed: 0, Time: At(1)), At(1));
        machine.Observe(new Input.SetUpDone(), At(2));

        Assert.Contains(new Decision.SetLastSync(At(1)), machine.Decide(At(2)));
        Assert.Null(machine.NextDueAt);
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void FirstSyncSeedAndNodeItemsAfterIt_StillOneReload()
    {
        var machine = SettingUp();
        machine.Observe(new Input.Seeded(Written: 5, Removed: 0, Time: At(1)), At(1));
        machine.Observe(new Input.ItemSynced(FolderSide.Node, At(3), "delete", "remote-only.txt"), At(3));
        machine.Observe(new Input.SetUpDone(), At(4));
        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle"), At(4));
        machine.Decide(At(4));

        Assert.Single(machine.Decide(At(4) + Debounce).OfType<Decision.Reload>());
        machine.Observe(new Input.ReloadFinished(Manual: false), At(5));
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void LocalChangesLandedDuringTheSetUp_OneReloadAfterIt()
    {
        var machine = SettingUp();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "b.py"), T0);
        Assert.DoesNotContain(machine.Decide(At(5)), d => d is Decision.Reload);

        machine.Observe(new Input.SetUpDone(), At(5));
        Assert.DoesNotContain(machine.Decide(At(5)), d => d is Decision.Reload);
        Assert.Equal(At(5) + Debounce, machine.NextDueAt);

        Assert.Equal([new Decision.SetStatus(ServiceStatus.Reloading), new Decision.Reload(false)], machine.Decide(At(5) + Debounce));
        machine.Observe(new Input.ReloadFinished(Manual: false), At(6));
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void LinkBroken_ShowsReconnectingSinceTheBreak_ReasonUpdatesKeepTheSince()
    {
        var machine = Machine();
        machine.Observe(new Input.StateChanged(FolderSide.Node, "syncing"), T0);
        machine.Decide(T0);

        machine.Observe(new Input.LinkBroken("the port-forward was closed"), At(1));
        Assert.Equal([new Decision.ShowReconnecting(At(1), "the port-forward was closed")], machine.Decide(At(1)));
        Assert.Equal(FolderPhase.Reconnecting, machine.Phase);
        Assert.Null(machine.NextDueAt);
        Assert.Empty(machine.Decide(At(2)));

        machine.Observe(new Input.LinkBroken("the port-forward was closed"), At(2));
        Assert.Empty(machine.Decide(At(2)));

        machine.Observe(new Input.LinkBroken("no ready node agent on node-a"), At(3));
        Assert.Equal([new Decision.ShowReconnecting(At(1), "no ready node agent on node-a")], machine.Decide(At(3)));
    }

    [Fact]
    public void Reconnecting_Resumed_StatusFollowsTheSidesAgain_NextBreakHasANewSince()
    {
        var machine = Machine();
        machine.Observe(new Input.LinkBroken("cut"), At(1));
        machine.Decide(At(1));

        machine.Observe(new Input.SetUpDone(), At(2));
        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle", At(2)), At(2));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Watching)], machine.Decide(At(2)));
        Assert.Equal(FolderPhase.Following, machine.Phase);

        machine.Observe(new Input.LinkBroken("cut"), At(10));
        Assert.Equal([new Decision.ShowReconnecting(At(10), "cut")], machine.Decide(At(10)));
    }

    [Fact]
    public void ReloadDueWhenTheLinkBroke_WaitsForTheResume_ThenOneReloadForBoth()
    {
        var machine = Machine();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Decide(T0);

        machine.Observe(new Input.LinkBroken("cut"), At(0.1));
        Assert.DoesNotContain(machine.Decide(At(5)), d => d is Decision.Reload);
        Assert.Null(machine.NextDueAt);

        // What landed during the resume and what landed before the break give one reload.
        machine.Observe(new Input.SetUpDone(), At(10));
        machine.Observe(new Input.ItemSynced(FolderSide.Node, At(10.2), "update", "b.py"), At(10.2));
        Assert.DoesNotContain(machine.Decide(At(10.2)), d => d is Decision.Reload);
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(10.2) + Debounce));
        machine.Observe(new Input.ReloadFinished(Manual: false), At(11));
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void LinkBroken_RequestedReloadsAndNodeRescansAreDropped()
    {
        var machine = Machine();
        machine.Observe(new Input.StateChanged(FolderSide.Node, "error"), T0);
        machine.Observe(new Input.LinkBroken("cut"), T0);
        machine.Observe(new Input.ReloadRequested(), T0);
        machine.Decide(T0);
        machine.Observe(new Input.LinkBroken("cut"), T0);

        machine.Observe(new Input.SetUpDone(), At(1));
        var decisions = machine.Decide(At(5));

        Assert.DoesNotContain(decisions, d => d is Decision.RescanNode or Decision.Reload);
    }

    [Fact]
    public void LinkBrokenWhileReloading_ResumeGoesBackToFollowing_TheReloadIsDoneOnceMore()
    {
        var machine = Machine();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Decide(T0 + Debounce);
        Assert.Equal(FolderPhase.Reloading, machine.Phase);

        // The agent went while it was asked to restart: whether it did is unknown, so the reload is owed.
        machine.Observe(new Input.LinkBroken("agent gone"), At(1));
        Assert.Contains(new Decision.ShowReconnecting(At(1), "agent gone"), machine.Decide(At(1)));
        Assert.Null(machine.NextDueAt);
        machine.Observe(new Input.SetUpDone(), At(2));

        Assert.Equal([new Decision.SetStatus(ServiceStatus.Watching)], machine.Decide(At(2)));
        Assert.Equal(At(2) + Debounce, machine.NextDueAt);
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(2) + Debounce));
        machine.Observe(new Input.ReloadFinished(Manual: false), At(3));
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void LinkBrokenWhileAManualReloadRan_NotRedone()
    {
        var machine = Machine();
        machine.Observe(new Input.ReloadRequested(), T0);
        Assert.Contains(new Decision.Reload(true), machine.Decide(T0));

        machine.Observe(new Input.LinkBroken("agent gone"), At(1));
        machine.Decide(At(1));
        machine.Observe(new Input.SetUpDone(), At(2));

        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
        Assert.Null(machine.NextDueAt);
    }

    [Fact]
    public void AutomaticReloadFailed_TriedAgainAfterTheRetryDelay_AtMostThreeTimes()
    {
        var machine = Machine();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Decide(T0);
        Assert.Contains(new Decision.Reload(false), machine.Decide(T0 + Debounce));

        machine.Observe(new Input.ReloadFinished(Manual: false, Failed: true), At(1));
        Assert.Equal(At(3), machine.NextDueAt);
        Assert.DoesNotContain(machine.Decide(At(2.9)), d => d is Decision.Reload);
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(3)));

        machine.Observe(new Input.ReloadFinished(Manual: false, Failed: true), At(4));
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(6)));

        // The third failure gives up: no loop against an agent that cannot reload, and no rescan of a container that
        // did not restart.
        machine.Observe(new Input.ReloadFinished(Manual: false, Failed: true), At(7));
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload or Decision.RescanNode);
        Assert.Null(machine.NextDueAt);
    }

    [Fact]
    public void AutomaticReloadFailed_ThenTheLinkBroke_ReloadedOnceAfterTheResume()
    {
        var machine = Machine();
        machine.Observe(new Input.ItemSynced(FolderSide.Node, T0, "update", "a.py"), T0);
        machine.Decide(T0);
        machine.Decide(T0 + Debounce);
        machine.Observe(new Input.ReloadFinished(Manual: false, Failed: true), At(1));
        machine.Decide(At(1));

        machine.Observe(new Input.LinkBroken("agent gone"), At(1.5));
        Assert.DoesNotContain(machine.Decide(At(10)), d => d is Decision.Reload);
        machine.Observe(new Input.SetUpDone(), At(20));

        Assert.DoesNotContain(machine.Decide(At(20)), d => d is Decision.Reload);
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(20) + Debounce));
        machine.Observe(new Input.ReloadFinished(Manual: false), At(21));
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void ManualReloadFailed_NotTriedAgain()
    {
        var machine = Machine();
        machine.Observe(new Input.ReloadRequested(), T0);
        machine.Decide(T0);

        machine.Observe(new Input.ReloadFinished(Manual: true, Failed: true), At(1));

        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
        Assert.Null(machine.NextDueAt);
    }

    [Fact]
    public void LocalChangeTheNodeHadNotConfirmedWhenTheLinkBroke_OneReloadAfterTheResume()
    {
        // The node may have written the change and gone before its ItemFinished reached us: nothing would be pulled
        // after the resume, so without the owed reload the change would never be reloaded.
        var machine = Machine();
        machine.Observe(new Input.SetUpDone(), T0);
        machine.Decide(T0);
        machine.Observe(new Input.ChangeDetected(FolderSide.Local, "a.py"), At(1));
        machine.Decide(At(1));

        machine.Observe(new Input.LinkBroken("agent gone"), At(1.2));
        Assert.DoesNotContain(machine.Decide(At(5)), d => d is Decision.Reload);
        machine.Observe(new Input.SetUpDone(), At(8));

        Assert.DoesNotContain(machine.Decide(At(8)), d => d is Decision.Reload);
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(8) + Debounce));
        machine.Observe(new Input.ReloadFinished(Manual: false), At(9));

        // What the resume brings in right after counts into a new debounce as usual; nothing else is owed.
        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void LocalChangeConfirmedByTheNode_NothingOwedWhenTheLinkBreaksLater()
    {
        var machine = Machine();
        machine.Observe(new Input.SetUpDone(), T0);
        machine.Observe(new Input.ChangeDetected(FolderSide.Local, "a.py"), At(1));
        machine.Observe(new Input.ItemSynced(FolderSide.Node, At(1.1), "update", "a.py"), At(1.1));
        machine.Decide(At(1.1));
        Assert.Contains(new Decision.Reload(false), machine.Decide(At(1.1) + Debounce));
        machine.Observe(new Input.ReloadFinished(Manual: false), At(2));
        machine.Decide(At(2));

        machine.Observe(new Input.LinkBroken("cut"), At(10));
        machine.Decide(At(10));
        machine.Observe(new Input.SetUpDone(), At(11));

        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Theory]
    [InlineData(true, false, FolderSide.Local)] // the local folder is receive-only: local changes never go out
    [InlineData(false, true, FolderSide.Local)] // reload off
    [InlineData(true, true, FolderSide.Node)] // a change the container made
    public void ChangeThatCannotLandOrReload_NothingOwedAtTheBreak(bool reload, bool localChangesGoOut, FolderSide side)
    {
        var machine = new FolderMachine(new FolderMachineOptions { ReloadEnabled = reload, ReloadDebounce = Debounce, LocalChangesGoOut = localChangesGoOut });
        machine.Observe(new Input.ChangeDetected(side, "a.py"), T0);
        machine.Decide(T0);

        machine.Observe(new Input.LinkBroken("cut"), At(1));
        machine.Decide(At(1));
        machine.Observe(new Input.SetUpDone(), At(2));

        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void LocalChangeWhileReconnecting_NothingOwed_TheResumesItemsDecide()
    {
        var machine = Machine();
        machine.Observe(new Input.LinkBroken("cut"), T0);
        machine.Decide(T0);
        machine.Observe(new Input.ChangeDetected(FolderSide.Local, "a.py"), At(1));
        machine.Observe(new Input.LinkBroken("still cut"), At(2));
        machine.Observe(new Input.SetUpDone(), At(3));

        Assert.DoesNotContain(machine.Decide(At(60)), d => d is Decision.Reload);
    }

    [Fact]
    public void StateChanged_OlderThanWhatWasTakenIn_IsIgnored()
    {
        var machine = Machine();

        // The status read after a resume (idle since 10) and an event queued before it (syncing at 9), in either order.
        machine.Observe(new Input.StateChanged(FolderSide.Node, "idle", At(10)), At(11));
        machine.Observe(new Input.StateChanged(FolderSide.Node, "syncing", At(9)), At(11));
        Assert.Empty(machine.Decide(At(11)));

        machine.Observe(new Input.StateChanged(FolderSide.Node, "syncing", At(12)), At(12));
        Assert.Equal([new Decision.SetStatus(ServiceStatus.Syncing)], machine.Decide(At(12)));
    }

    [Fact]
    public void LocalSyncthingRestartedWhileReconnecting_ReappliedAfterTheResume()
    {
        var machine = Machine();
        machine.Observe(new Input.LinkBroken("cut"), T0);
        machine.Observe(new Input.LocalSyncthingRestarted(), T0);

        Assert.DoesNotContain(machine.Decide(T0), d => d is Decision.ReapplyConfig);

        machine.Observe(new Input.SetUpDone(), At(1));
        Assert.Contains(new Decision.ReapplyConfig(), machine.Decide(At(1)));
    }
}
