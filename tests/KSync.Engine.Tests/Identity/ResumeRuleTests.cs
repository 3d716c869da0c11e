using KSync.Engine.Identity;
using KSync.Syncthing.Folders;

namespace KSync.Engine.Tests.Identity;

/// <summary>First sync or resume (docs/architecture.md, "The resume rule"), for every combination of record and holders.</summary>
public sealed class ResumeRuleTests
{
    private static readonly SyncRecord Synced = new()
    {
        FolderId = "ksync-api-pod-main-abc-qwerty",
        Spec = "api",
        Namespace = "default",
        Pod = "pod",
        PodUid = "uid",
        Container = "main",
        ContainerId = "docker://abc",
        Node = "node-a",
        NodePath = "/n",
        RemotePath = "/app",
        LocalPath = "/l",
        LocalDeviceId = "L",
        RemoteDeviceId = "N",
        SetUpAt = DateTimeOffset.UnixEpoch,
        SyncedAt = DateTimeOffset.UnixEpoch.AddMinutes(1),
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void NoRecord_FirstSyncUnderANewId(bool localHolds, bool nodeHolds)
    {
        var decision = ResumeRule.Decide(null, localHolds, nodeHolds);

        Assert.Equal(SetUpMode.FirstSync, decision.Mode);
        Assert.True(decision.NewFolderId);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void FirstSyncNeverFinished_FirstSyncAgainUnderTheSameId(bool localHolds, bool nodeHolds)
    {
        var decision = ResumeRule.Decide(Synced with { SyncedAt = null }, localHolds, nodeHolds);

        Assert.Equal(SetUpMode.FirstSync, decision.Mode);
        Assert.False(decision.NewFolderId);
    }

    [Fact]
    public void BothHoldTheFolder_Resume()
    {
        var decision = ResumeRule.Decide(Synced, localHolds: true, nodeHolds: true);

        Assert.Equal(new SetUpDecision(SetUpMode.Resume, false, $"both syncthings still have folder {Synced.FolderId}"), decision);
    }

    [Fact]
    public void OnlyTheNodeLostTheFolder_ResumeNeverARevert()
    {
        var decision = ResumeRule.Decide(Synced, localHolds: true, nodeHolds: false);

        Assert.Equal(SetUpMode.Resume, decision.Mode);
        Assert.False(decision.NewFolderId);
        Assert.Contains("lost", decision.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheLocalSyncthingLostTheFolder_FirstSyncUnderANewId(bool nodeHolds)
    {
        var decision = ResumeRule.Decide(Synced, localHolds: false, nodeHolds);

        Assert.Equal(SetUpMode.FirstSync, decision.Mode);
        Assert.True(decision.NewFolderId);
    }
}
